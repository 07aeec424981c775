package io.kerbside.sim;

import io.kerbside.sim.model.ModelSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything a {@link Simulation} needs, validated on construction: an invalid value throws an
 * {@link IllegalArgumentException} that names it.
 *
 * <p>A run is reproducible: the same devices, scenario, seed, start and centre give the same town,
 * the same readings and the same faults, at any speed.
 *
 * @param devices number of simulated assets, 1 to 100,000
 * @param scenario what happens in the town
 * @param seed makes every random choice; the same seed gives the same run
 * @param speed simulated seconds per real second: 1 is real time, 60 one simulated minute per
 *     second, 0 as fast as possible
 * @param duration simulated time to cover, up to 366 days; {@code null} means the scenario's {@link
 *     Scenario#defaultDuration()}
 * @param start simulated start; {@code null} means the scenario's default, the latest suitable
 *     moment (a winter evening for {@code winter-night}) early enough that no reading is stamped
 *     later than the wall clock when it is sent
 * @param publish broker, connections and format
 * @param groundTruthFile where to write the JSON Lines ground truth; {@code null} for none
 * @param centre where the town lies and its time zone
 * @param openingFaults add a few device faults in the first simulated minutes (a bin knocked over,
 *     a bin fire, a device gone silent, a failed lamp) to the scenario's, so that alerts follow
 *     soon after the start; the demo turns this on
 * @param binsOnly simulate only the town's bins (the town is laid out for {@code devices} assets,
 *     about 35 % of them bins); for evaluations of collections
 * @param collections when set, bins are emptied only as these collection plans say (at their stops'
 *     ETAs) instead of on their fixed rounds; {@code null} for the fixed rounds
 * @param binUsageSpread how unevenly the bins of a street are used, 0 to {@link
 *     ModelSettings#MAX_BIN_USAGE_SPREAD} ({@link ModelSettings#binUsageSpread()}); {@link
 *     ModelSettings#DEFAULT_BIN_USAGE_SPREAD} by default
 */
public record SimConfig(
    int devices,
    Scenario scenario,
    long seed,
    double speed,
    Duration duration,
    Instant start,
    PublishOptions publish,
    Path groundTruthFile,
    TownCentre centre,
    boolean openingFaults,
    boolean binsOnly,
    PlannedCollections collections,
    double binUsageSpread) {
  public static final int MAX_DEVICES = 100_000;
  public static final Duration MAX_DURATION = Duration.ofDays(366);
  public static final long DEFAULT_SEED = 42;

  public SimConfig {
    if (devices < 1 || devices > MAX_DEVICES) {
      throw new IllegalArgumentException(
          "devices must be between 1 and " + MAX_DEVICES + ", got " + devices);
    }
    Objects.requireNonNull(scenario, "scenario");
    if (!(speed >= 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException(
          "speed must be 0 (as fast as possible) or more simulated seconds per second, got "
              + speed);
    }
    duration = duration == null ? scenario.defaultDuration() : duration;
    if (duration.isNegative()
        || duration.toMillis() < 1_000
        || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "duration must be between 1 s and 366 days, got " + duration);
    }
    Objects.requireNonNull(publish, "publish");
    centre = centre == null ? TownCentre.DEFAULT : centre;
    ModelSettings.checkBinUsageSpread(binUsageSpread);
  }

  /** A configuration around the default centre ({@link TownCentre#DEFAULT}). */
  public SimConfig(
      int devices,
      Scenario scenario,
      long seed,
      double speed,
      Duration duration,
      Instant start,
      PublishOptions publish,
      Path groundTruthFile) {
    this(
        devices,
        scenario,
        seed,
        speed,
        duration,
        start,
        publish,
        groundTruthFile,
        TownCentre.DEFAULT,
        false,
        false,
        null,
        ModelSettings.DEFAULT_BIN_USAGE_SPREAD);
  }

  /**
   * 1,000 devices, {@code quiet-day}, seed 42, speed 60, the scenario's duration and start, the
   * default publish options, no ground truth, the default centre.
   */
  public static SimConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The simulated time covered by one real second, or 0 for as fast as possible. */
  public boolean asFastAsPossible() {
    return speed == 0;
  }

  /** Builds a {@link SimConfig}; each setter names its default. */
  public static final class Builder {
    private int devices = 1_000;
    private Scenario scenario = Scenario.QUIET_DAY;
    private long seed = DEFAULT_SEED;
    private double speed = 60;
    private Duration duration;
    private Instant start;
    private PublishOptions publish = PublishOptions.defaults();
    private Path groundTruthFile;
    private TownCentre centre = TownCentre.DEFAULT;
    private boolean openingFaults;
    private boolean binsOnly;
    private PlannedCollections collections;
    private double binUsageSpread = ModelSettings.DEFAULT_BIN_USAGE_SPREAD;

    private Builder() {}

    /** Default 1,000. */
    public Builder devices(int devices) {
      this.devices = devices;
      return this;
    }

    /** Default {@code quiet-day}. */
    public Builder scenario(Scenario scenario) {
      this.scenario = scenario;
      return this;
    }

    /** Default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Default 60 (a simulated minute per second); 0 = as fast as possible, 1 = real time. */
    public Builder speed(double speed) {
      this.speed = speed;
      return this;
    }

    /** Default: the scenario's. */
    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    /** Default: the scenario's. */
    public Builder start(Instant start) {
      this.start = start;
      return this;
    }

    /** Default {@link PublishOptions#defaults()}. */
    public Builder publish(PublishOptions publish) {
      this.publish = publish;
      return this;
    }

    /** Default none. */
    public Builder groundTruthFile(Path groundTruthFile) {
      this.groundTruthFile = groundTruthFile;
      return this;
    }

    /** Default {@link TownCentre#DEFAULT}. */
    public Builder centre(TownCentre centre) {
      this.centre = centre;
      return this;
    }

    /** Default off: only the scenario's faults. */
    public Builder openingFaults(boolean openingFaults) {
      this.openingFaults = openingFaults;
      return this;
    }

    /** Default off: every asset of the town. */
    public Builder binsOnly(boolean binsOnly) {
      this.binsOnly = binsOnly;
      return this;
    }

    /** Default none: the bins' fixed rounds. */
    public Builder collections(PlannedCollections collections) {
      this.collections = collections;
      return this;
    }

    /** Default {@link ModelSettings#DEFAULT_BIN_USAGE_SPREAD}. */
    public Builder binUsageSpread(double binUsageSpread) {
      this.binUsageSpread = binUsageSpread;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public SimConfig build() {
      return new SimConfig(
          devices,
          scenario,
          seed,
          speed,
          duration,
          start,
          publish,
          groundTruthFile,
          centre,
          openingFaults,
          binsOnly,
          collections,
          binUsageSpread);
    }
  }
}
