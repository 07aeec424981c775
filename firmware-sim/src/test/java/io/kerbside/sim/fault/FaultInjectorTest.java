package io.kerbside.sim.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.Metric;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.model.ConditionSink;
import io.kerbside.sim.model.DeviceModel;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
  private static final Instant T0 = Instant.parse("2026-01-14T16:00:00Z");

  /** A pavement whose surface is always 5.0 degrees C, recording the faults it is given. */
  private static final class FixedModel implements DeviceModel {
    final List<String> faults = new ArrayList<>();

    @Override
    public Asset asset() {
      return null;
    }

    @Override
    public Duration reportInterval() {
      return Duration.ofMinutes(10);
    }

    @Override
    public void advanceTo(Instant t, double[] values, ConditionSink conditions) {
      SimReading.put(values, Metric.SURFACE_TEMP_C, 5.0 + t.getEpochSecond() % 7);
    }

    @Override
    public void setFault(FaultType type, boolean active, Instant at) {
      faults.add(type.code() + (active ? " on at " : " off at ") + at);
    }
  }

  private final FixedModel model = new FixedModel();

  private double[] report(FaultInjector injector, Instant t) {
    injector.startDue(t);
    injector.expire(0, t);
    double[] v = SimReading.blankValues();
    model.advanceTo(t, v, ConditionSink.none());
    injector.applySensorFaults(0, t, v);
    return v;
  }

  private static PlannedFault fault(FaultType type, int fromMin, int untilMin) {
    return new PlannedFault(
        type,
        0,
        T0.plusSeconds(fromMin * 60L),
        T0.plusSeconds(untilMin * 60L),
        Metric.SURFACE_TEMP_C,
        type == FaultType.DRIFT ? 2.0 : 0,
        type == FaultType.IMPOSSIBLE_SPIKE ? -99.9 : Double.NaN);
  }

  @Test
  void aStuckSensorRepeatsTheValueItHadWhenTheFaultBegan() {
    FaultInjector injector =
        new FaultInjector(List.of(fault(FaultType.STUCK_VALUE, 10, 40)), new DeviceModel[] {model});
    double stuck = report(injector, T0.plusSeconds(601))[Metric.SURFACE_TEMP_C.ordinal()];

    for (int minute = 20; minute < 40; minute += 10) {
      assertThat(
              report(injector, T0.plusSeconds(minute * 60L + 3))[Metric.SURFACE_TEMP_C.ordinal()])
          .isEqualTo(stuck);
    }
    assertThat(report(injector, T0.plusSeconds(2400 + 2))[Metric.SURFACE_TEMP_C.ordinal()])
        .isNotEqualTo(stuck);
  }

  @Test
  void aDriftMovesTheMetricAtItsRatePerHour() {
    FaultInjector injector =
        new FaultInjector(List.of(fault(FaultType.DRIFT, 0, 180)), new DeviceModel[] {model});
    Instant t = T0.plus(Duration.ofMinutes(90));
    double[] truth = SimReading.blankValues();
    model.advanceTo(t, truth, ConditionSink.none());

    assertThat(report(injector, t)[Metric.SURFACE_TEMP_C.ordinal()])
        .isEqualTo(truth[Metric.SURFACE_TEMP_C.ordinal()] + 3.0);
  }

  @Test
  void aSpikeHitsTheNextReadingOnceWithAnImpossibleValue() {
    FaultInjector injector =
        new FaultInjector(
            List.of(fault(FaultType.IMPOSSIBLE_SPIKE, 5, 5)), new DeviceModel[] {model});

    double spiked = report(injector, T0.plusSeconds(600))[Metric.SURFACE_TEMP_C.ordinal()];
    double next = report(injector, T0.plusSeconds(1200))[Metric.SURFACE_TEMP_C.ordinal()];

    assertThat(Metric.SURFACE_TEMP_C.inRange(spiked)).isFalse();
    assertThat(Metric.SURFACE_TEMP_C.inRange(next)).isTrue();
  }

  @Test
  void anOfflineDeviceIsSilentOnlyDuringItsWindow() {
    FaultInjector injector =
        new FaultInjector(List.of(fault(FaultType.OFFLINE, 10, 30)), new DeviceModel[] {model});

    report(injector, T0.plusSeconds(300));
    assertThat(injector.offline(0)).isFalse();
    report(injector, T0.plusSeconds(900));
    assertThat(injector.offline(0)).isTrue();
    report(injector, T0.plusSeconds(1800));
    assertThat(injector.offline(0)).isFalse();
  }

  @Test
  void handsPhysicalFaultsToTheModelWithTheirStartAndEnd() {
    FaultInjector injector =
        new FaultInjector(
            List.of(fault(FaultType.PAVEMENT_FREEZING, 10, 30)), new DeviceModel[] {model});

    assertThat(injector.startDue(T0.plusSeconds(900))).hasSize(1);
    injector.expire(0, T0.plusSeconds(2000));

    assertThat(model.faults)
        .containsExactly(
            "pavement-freezing on at " + T0.plusSeconds(600),
            "pavement-freezing off at " + T0.plusSeconds(1800));
  }

  @Test
  void aFrameLossLosesAboutAThirdOfTheMessagesButNeverTwoInARow() {
    DeviceModel[] models = {new FixedModel()};
    PlannedFault loss =
        new PlannedFault(
            FaultType.FRAME_LOSS, 0, T0, T0.plus(Duration.ofHours(100)), null, 0, Double.NaN);
    FaultInjector injector = new FaultInjector(List.of(loss), models, 42);
    injector.startDue(T0);

    int lost = 0;
    boolean previous = false;
    for (long seq = 1; seq <= 600; seq++) {
      boolean now = injector.lost(0, seq);
      assertThat(previous && now).as("two in a row at " + seq).isFalse();
      lost += now ? 1 : 0;
      previous = now;
    }
    assertThat(lost).isBetween(170, 230);
    assertThat(injector.offline(0)).isFalse();
  }

  @Test
  void withoutAFrameLossNothingIsLost() {
    FaultInjector injector = new FaultInjector(List.of(), new DeviceModel[] {new FixedModel()}, 42);
    for (long seq = 1; seq <= 50; seq++) {
      assertThat(injector.lost(0, seq)).isFalse();
    }
  }
}
