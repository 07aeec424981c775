package io.kerbside.sim.model;

import io.kerbside.core.DeviceKind;
import io.kerbside.sim.random.Seeds;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.weather.WeatherModel;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** Creates the model of each kind of device. */
public final class DeviceModels {
  private DeviceModels() {}

  /** How often a device of {@code kind} reports: bins every 15 minutes, the others every 10. */
  public static Duration reportInterval(DeviceKind kind) {
    return switch (kind) {
      case BIN -> BinModel.REPORT_INTERVAL;
      case STREETLIGHT -> StreetlightModel.REPORT_INTERVAL;
      case PAVEMENT -> PavementModel.REPORT_INTERVAL;
    };
  }

  /**
   * The model of {@code asset}'s device, starting at {@code start}, drawing from its own stream of
   * {@code seed}.
   */
  public static DeviceModel create(
      Asset asset,
      WeatherModel weather,
      ModelSettings settings,
      ZoneId zone,
      Instant start,
      long seed) {
    var rng = Seeds.stream(seed, Seeds.MODEL + asset.index());
    return switch (asset.kind()) {
      case BIN -> new BinModel(asset, weather, settings, zone, start, rng);
      case STREETLIGHT -> new StreetlightModel(asset, weather, zone, start, rng);
      case PAVEMENT -> new PavementModel(asset, weather, settings, zone, start, rng);
    };
  }
}
