package io.kerbside.sim;

import io.kerbside.sim.encode.Encoders;
import io.kerbside.sim.fault.DeliveryPlanner;
import io.kerbside.sim.fault.FaultPlanner;
import io.kerbside.sim.fault.MultiDayPlan;
import io.kerbside.sim.fault.PlannedFault;
import io.kerbside.sim.model.DeviceModel;
import io.kerbside.sim.model.DeviceModels;
import io.kerbside.sim.model.ModelSettings;
import io.kerbside.sim.publish.MessageSink;
import io.kerbside.sim.publish.MqttSink;
import io.kerbside.sim.run.BenchmarkRun;
import io.kerbside.sim.run.GroundTruthLog;
import io.kerbside.sim.run.SimulationRun;
import io.kerbside.sim.scenario.ScenarioSpec;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.Town;
import io.kerbside.sim.town.TownGenerator;
import io.kerbside.sim.weather.WeatherModel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A simulated town of street sensors publishing to an MQTT broker, with faults injected on purpose
 * and recorded in a ground-truth file.
 *
 * <p>{@link #create} builds the town, its weather, its device models and its fault plan, all from
 * the seed; nothing connects until {@link #run}. The same configuration (seed, start, devices,
 * scenario, centre) gives the same readings, faults and ground truth at any speed; only the
 * timestamps of skewed clocks, which are put hours ahead of the wall clock, depend on when it runs.
 *
 * <pre>{@code
 * Simulation sim = Simulation.create(SimConfig.builder().devices(200)
 *     .scenario(Scenario.WINTER_NIGHT).speed(3600).build());
 * TownExport.write(sim.town(), Path.of("town.geojson"));
 * SimReport report = sim.run(ProgressListener.none());
 * }</pre>
 *
 * <p>{@link #run} may be called once; {@link #stop()} from any thread.
 */
public final class Simulation {
  private final SimConfig config;
  private final Town town;
  private final Instant start;
  private final Clock wallClock;
  private final AtomicBoolean ran = new AtomicBoolean();
  private volatile boolean stopRequested;
  private volatile SimulationRun activeRun;
  private volatile BenchmarkRun activeBenchmark;

  private Simulation(SimConfig config, Town town, Instant start, Clock wallClock) {
    this.config = config;
    this.town = town;
    this.start = start;
    this.wallClock = wallClock;
  }

  /** Builds the town deterministically from the seed; the start defaults from the wall clock. */
  public static Simulation create(SimConfig config) {
    return create(config, Clock.systemUTC());
  }

  /**
   * As {@link #create(SimConfig)}, with the wall clock given: it decides the scenario's default
   * start and how far ahead skewed clocks run.
   */
  public static Simulation create(SimConfig config, Clock wallClock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(wallClock, "wallClock");
    ScenarioSpec spec = ScenarioSpec.of(config.scenario());
    Instant start =
        config.start() != null
            ? config.start()
            : spec.defaultStart(
                wallClock.instant(), config.duration(), config.speed(), config.centre());
    Town town = TownGenerator.generate(config.devices(), config.centre(), config.seed());
    if (config.binsOnly()) {
      // bins come first in a town's order, so the bins alone keep their indexes
      town =
          new Town(
              town.centre(),
              town.radiusM(),
              town.assets().subList(0, town.count(io.kerbside.core.DeviceKind.BIN)));
    }
    if (config.collections() != null) {
      config
          .collections()
          .checkAgainst(
              town.assets().stream()
                  .filter(a -> a.kind() == io.kerbside.core.DeviceKind.BIN)
                  .map(Asset::assetRef)
                  .toList());
    }
    return new Simulation(config, town, start, wallClock);
  }

  public SimConfig config() {
    return config;
  }

  /** The assets; write them with {@link TownExport}. */
  public Town town() {
    return town;
  }

  /** The simulated start: the configured one or the scenario's default. */
  public Instant start() {
    return start;
  }

  /** The simulated end: start plus duration. */
  public Instant end() {
    return start.plus(config.duration());
  }

  /** The device faults this run will inject, ordered by start. */
  public List<PlannedFault> plannedFaults() {
    if (config.scenario() == Scenario.MULTI_DAY) {
      return multiDayPlan().faults();
    }
    return faultPlan(ScenarioSpec.of(config.scenario()));
  }

  /** The scenario's faults, and the demo's opening faults when asked for. */
  private List<PlannedFault> faultPlan(ScenarioSpec spec) {
    List<PlannedFault> plan = FaultPlanner.plan(spec, town, start, end(), config.seed());
    if (!config.openingFaults()) {
      return plan;
    }
    List<PlannedFault> all =
        new ArrayList<>(FaultPlanner.opening(town, start, end(), config.seed(), plan));
    all.addAll(plan);
    all.sort(
        java.util.Comparator.comparing(PlannedFault::from).thenComparingInt(PlannedFault::device));
    return List.copyOf(all);
  }

  /** The schedule of {@code multi-day}: its faults, plants and what each rule must catch. */
  private MultiDayPlan multiDayPlan() {
    return MultiDayPlan.of(town, start, end(), config.centre().zone(), config.seed());
  }

  /**
   * Publishes to the broker of {@link SimConfig#publish()} until the simulated duration is done or
   * {@link #stop()} is called, then returns what was sent.
   *
   * @throws SimulationException when the broker cannot be reached or the ground truth cannot be
   *     written
   * @throws IllegalStateException when called a second time
   * @throws InterruptedException when interrupted; connections and files are closed
   */
  public SimReport run(ProgressListener listener) throws InterruptedException {
    return run(listener, Checkpoints.NONE);
  }

  /**
   * As {@link #run(ProgressListener)}, pausing at {@code checkpoints} (not in the benchmark
   * scenario).
   */
  public SimReport run(ProgressListener listener, Checkpoints checkpoints)
      throws InterruptedException {
    List<String> ids = new ArrayList<>(town.size());
    for (Asset a : town.assets()) {
      ids.add(a.deviceId().value());
    }
    return run(listener, new MqttSink(config.publish(), ids), checkpoints);
  }

  /**
   * As {@link #run(ProgressListener)}, into {@code sink} instead of the broker (the benchmark
   * scenario always publishes to the broker).
   */
  public SimReport run(ProgressListener listener, MessageSink sink) throws InterruptedException {
    return run(listener, sink, Checkpoints.NONE);
  }

  /** As {@link #run(ProgressListener, MessageSink)}, pausing at {@code checkpoints}. */
  public SimReport run(ProgressListener listener, MessageSink sink, Checkpoints checkpoints)
      throws InterruptedException {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(checkpoints, "checkpoints");
    if (!ran.compareAndSet(false, true)) {
      throw new IllegalStateException("a simulation runs once; create another");
    }
    GroundTruthLog log = new GroundTruthLog(config.groundTruthFile(), town);
    if (config.scenario() == Scenario.BENCHMARK) {
      BenchmarkRun bench = new BenchmarkRun(config, start, log);
      activeBenchmark = bench;
      if (stopRequested) {
        bench.stop();
      }
      return bench.run(listener);
    }
    ScenarioSpec spec = ScenarioSpec.of(config.scenario());
    ModelSettings settings = spec.modelSettings(start, config.centre().zone());
    List<PlannedFault> faults;
    if (config.scenario() == Scenario.MULTI_DAY) {
      MultiDayPlan plan = multiDayPlan();
      settings = settings.withPlants(plan.plants());
      faults = plan.faults();
      log.expect(plan.expectations());
    } else {
      faults = faultPlan(spec);
    }
    if (config.collections() != null) {
      settings = settings.withPlanned(config.collections());
    }
    settings = settings.withBinUsageSpread(config.binUsageSpread());
    WeatherModel weather = new WeatherModel(config.seed(), config.centre(), spec.weather());
    DeviceModel[] models = new DeviceModel[town.size()];
    for (Asset a : town.assets()) {
      models[a.index()] =
          DeviceModels.create(a, weather, settings, config.centre().zone(), start, config.seed());
    }
    SimulationRun run =
        new SimulationRun(
            config,
            town,
            start,
            models,
            faults,
            new DeliveryPlanner(spec.delivery(), config.seed(), town.size()),
            Encoders.forFormat(config.publish().format()),
            sink,
            log,
            wallClock,
            checkpoints);
    activeRun = run;
    if (stopRequested) {
      run.stop();
    }
    return run.run(listener);
  }

  /** Ends a run soon; {@link #run} returns with what was sent. Thread-safe; idempotent. */
  public void stop() {
    stopRequested = true;
    SimulationRun run = activeRun;
    if (run != null) {
      run.stop();
    }
    BenchmarkRun bench = activeBenchmark;
    if (bench != null) {
      bench.stop();
    }
  }
}
