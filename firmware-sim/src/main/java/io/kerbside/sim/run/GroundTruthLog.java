package io.kerbside.sim.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import io.kerbside.sim.ConditionType;
import io.kerbside.sim.DeviceTally;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.SimulationException;
import io.kerbside.sim.encode.Malformation;
import io.kerbside.sim.fault.PlannedFault;
import io.kerbside.sim.fault.RuleExpectation;
import io.kerbside.sim.model.ConditionSink;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.Town;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ground truth of a run: counts every fault and condition, and when a file is given writes each
 * as one JSON object per line as it happens (JSON Lines), so memory stays flat however long the
 * run. {@code docs/simulator.md} describes the records.
 *
 * <p>Not thread-safe: the simulation's thread writes it.
 */
public final class GroundTruthLog implements ConditionSink, AutoCloseable {
  private final Path file;
  private final Town town;
  private final JsonGenerator json;
  private final Map<FaultType, Integer> faults = new EnumMap<>(FaultType.class);
  private final Map<ConditionType, Integer> conditions = new EnumMap<>(ConditionType.class);
  private List<RuleExpectation> expectations = List.of();

  /**
   * @param file where to write, created or replaced; {@code null} to only count
   * @throws SimulationException when the file cannot be created
   */
  public GroundTruthLog(Path file, Town town) {
    this.file = file;
    this.town = town;
    if (file == null) {
      this.json = null;
      return;
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      this.json = new JsonFactory().createGenerator(out);
      json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /** What the scenario's plan says the rules must catch; written right after the run record. */
  public void expect(List<RuleExpectation> expectations) {
    this.expectations = List.copyOf(expectations);
  }

  /** Writes the first record: what ran; then the expectations, one record each. */
  public void runStarted(SimConfig config, Instant start, Instant end) {
    write(
        g -> {
          g.writeStringField("record", "run");
          g.writeStringField("scenario", config.scenario().code());
          g.writeNumberField("seed", config.seed());
          g.writeNumberField("devices", config.devices());
          g.writeStringField("start", start.toString());
          g.writeStringField("end", end.toString());
          g.writeNumberField("speed", config.speed());
          g.writeStringField("format", config.publish().format().code());
          g.writeStringField("topic_prefix", config.publish().topicPrefix());
          g.writeObjectFieldStart("centre");
          g.writeStringField("name", town.centre().name());
          g.writeNumberField("latitude", town.centre().latitude());
          g.writeNumberField("longitude", town.centre().longitude());
          g.writeStringField("zone", town.centre().zone().getId());
          g.writeEndObject();
        });
    for (RuleExpectation e : expectations) {
      expectation(e.rule(), town.asset(e.device()), e.from(), e.until(), e.why());
    }
  }

  /**
   * What the scenario's plan says a rule must catch: an alert of {@code rule} on the asset's device
   * (or its asset) observed between {@code from} and {@code until}. Written after the run record,
   * before anything happens.
   */
  public void expectation(String rule, Asset asset, Instant from, Instant until, String why) {
    write(
        g -> {
          g.writeStringField("record", "expect");
          g.writeStringField("rule", rule);
          device(g, asset);
          g.writeStringField("from", from.toString());
          g.writeStringField("until", until.toString());
          g.writeStringField("why", why);
        });
  }

  /** A planned fault that has just begun. */
  public void deviceFault(PlannedFault f) {
    count(f.type());
    Asset a = town.asset(f.device());
    write(
        g -> {
          fault(g, f.type(), a);
          g.writeStringField("from", f.from().toString());
          g.writeStringField("until", f.until().toString());
          if (f.metric() != null) {
            g.writeStringField("metric", f.metric().code());
          }
          if (f.type() == FaultType.DRIFT) {
            g.writeNumberField("drift_per_hour", round(f.driftPerHour(), 3));
          }
          g.writeStringField(
              "ingest",
              switch (f.type()) {
                case OFFLINE -> "nothing-sent";
                case FRAME_LOSS -> "some-lost";
                default -> "stored";
              });
        });
  }

  /** A reading carrying an impossible value. */
  /**
   * An impossible value sent; with {@code partlyStored} the format rejects that value alone and
   * Kerbside stores the reading's other values.
   */
  public void spike(PlannedFault f, SimReading r, boolean partlyStored) {
    count(FaultType.IMPOSSIBLE_SPIKE);
    write(
        g -> {
          fault(g, FaultType.IMPOSSIBLE_SPIKE, r.asset());
          g.writeStringField("at", r.at().toString());
          g.writeNumberField("seq", r.seq());
          g.writeStringField("metric", f.metric().code());
          g.writeNumberField("value", f.spikeValue());
          g.writeStringField("ingest", "rejected:out_of_range");
          if (partlyStored) {
            g.writeStringField("stored", "other-metrics");
          }
        });
  }

  public void duplicate(SimReading r) {
    count(FaultType.DUPLICATE);
    write(
        g -> {
          fault(g, FaultType.DUPLICATE, r.asset());
          g.writeStringField("at", r.at().toString());
          g.writeNumberField("seq", r.seq());
          g.writeNumberField("copies", 2);
          g.writeStringField("ingest", "stored-once");
        });
  }

  /** A held-back reading, sent after the reading taken at {@code sentAfter}. */
  public void outOfOrder(SimReading held, Instant sentAfter) {
    count(FaultType.OUT_OF_ORDER);
    write(
        g -> {
          fault(g, FaultType.OUT_OF_ORDER, held.asset());
          g.writeStringField("at", held.at().toString());
          g.writeNumberField("seq", held.seq());
          if (sentAfter != null) {
            g.writeStringField("sent_after", sentAfter.toString());
          }
          g.writeStringField("ingest", "stored");
        });
  }

  public void clockSkew(SimReading r, Instant sentTs, Duration skew) {
    count(FaultType.CLOCK_SKEW);
    write(
        g -> {
          fault(g, FaultType.CLOCK_SKEW, r.asset());
          g.writeStringField("at", r.at().toString());
          g.writeNumberField("seq", r.seq());
          g.writeStringField("sent_ts", sentTs.toString());
          g.writeNumberField("skew_s", round(skew.toMillis() / 1000.0, 3));
          g.writeStringField("ingest", "rejected:future_timestamp");
        });
  }

  public void malformed(SimReading r, Malformation how) {
    count(FaultType.MALFORMED);
    write(
        g -> {
          fault(g, FaultType.MALFORMED, r.asset());
          g.writeStringField("at", r.at().toString());
          g.writeNumberField("seq", r.seq());
          g.writeStringField("malformation", how.code());
          g.writeStringField("ingest", "rejected:" + how.expectedReason());
        });
  }

  /** A flood of {@code readings} readings from {@code from} to {@code until}. */
  public void burst(Asset asset, Instant from, Instant until, int readings) {
    count(FaultType.BURST);
    write(
        g -> {
          fault(g, FaultType.BURST, asset);
          g.writeStringField("from", from.toString());
          g.writeStringField("until", until.toString());
          g.writeNumberField("readings", readings);
          g.writeStringField("ingest", "stored");
        });
  }

  @Override
  public void condition(
      ConditionType type, Asset asset, Instant from, Instant until, Map<String, Object> detail) {
    conditions.merge(type, 1, Integer::sum);
    write(
        g -> {
          g.writeStringField("record", "condition");
          g.writeStringField("type", type.code());
          device(g, asset);
          if (until == null) {
            g.writeStringField("at", from.toString());
          } else {
            g.writeStringField("from", from.toString());
            g.writeStringField("until", until.toString());
          }
          for (Map.Entry<String, Object> e : detail.entrySet()) {
            if (e.getValue() instanceof Number n) {
              g.writeNumberField(e.getKey(), n.doubleValue());
            } else {
              g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
            }
          }
        });
  }

  /** One record per device: what it sent. */
  public void tally(String deviceId, String kind, DeviceTally t) {
    write(
        g -> {
          g.writeStringField("record", "tally");
          g.writeStringField("device", deviceId);
          g.writeStringField("kind", kind);
          g.writeNumberField("readings", t.readings());
          g.writeNumberField("duplicates_sent", t.duplicatesSent());
          g.writeNumberField("malformed_sent", t.malformedSent());
          g.writeNumberField("future_sent", t.futureSent());
          g.writeNumberField("out_of_range_sent", t.outOfRangeSent());
          g.writeNumberField("failed_sends", t.failedSends());
          g.writeNumberField("first_seq", t.firstSeq());
          g.writeNumberField("last_seq", t.lastSeq());
        });
  }

  /** The last record: totals. */
  public void summary(SimReport r) {
    write(
        g -> {
          g.writeStringField("record", "summary");
          g.writeStringField("simulated_end", r.simulatedEnd().toString());
          g.writeBooleanField("stopped_early", r.stoppedEarly());
          g.writeNumberField("sent", r.sent());
          g.writeNumberField("failed", r.failed());
          g.writeNumberField("resent", r.resent());
          g.writeNumberField("expected_readings", r.expectedReadings());
          g.writeObjectFieldStart("faults");
          for (Map.Entry<FaultType, Integer> e : faults.entrySet()) {
            g.writeNumberField(e.getKey().code(), e.getValue());
          }
          g.writeEndObject();
          g.writeObjectFieldStart("conditions");
          for (Map.Entry<ConditionType, Integer> e : conditions.entrySet()) {
            g.writeNumberField(e.getKey().code(), e.getValue());
          }
          g.writeEndObject();
          g.writeObjectFieldStart("expected_rejections");
          for (Map.Entry<String, Long> e : new TreeMap<>(r.expectedRejections()).entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
        });
  }

  public Map<FaultType, Integer> faults() {
    return Map.copyOf(faults);
  }

  public Map<ConditionType, Integer> conditions() {
    return Map.copyOf(conditions);
  }

  public long totalFaults() {
    long n = 0;
    for (int v : faults.values()) {
      n += v;
    }
    return n;
  }

  @Override
  public void close() {
    if (json == null) {
      return;
    }
    try {
      json.writeRaw('\n');
      json.close();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private void count(FaultType type) {
    faults.merge(type, 1, Integer::sum);
  }

  private static void fault(JsonGenerator g, FaultType type, Asset a) throws IOException {
    g.writeStringField("record", "fault");
    g.writeStringField("type", type.code());
    g.writeStringField("category", type.category().code());
    device(g, a);
  }

  private static void device(JsonGenerator g, Asset a) throws IOException {
    g.writeStringField("device", a.deviceId().value());
    g.writeStringField("kind", a.kind().code());
  }

  private static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private void write(Fields fields) {
    if (json == null) {
      return;
    }
    try {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private SimulationException failed(IOException e) {
    return new SimulationException(
        "cannot write the ground truth to " + file + ": " + e.getMessage(), e);
  }
}
