package io.kerbside.sim.model;

import io.kerbside.core.DeviceId;
import io.kerbside.core.DeviceKind;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.town.Asset;
import io.kerbside.sim.town.BinDetails;
import io.kerbside.sim.town.DimmingProfile;
import io.kerbside.sim.town.GeoPoint;
import io.kerbside.sim.town.LampType;
import io.kerbside.sim.town.PavementDetails;
import io.kerbside.sim.town.StreetType;
import io.kerbside.sim.town.StreetlightDetails;
import io.kerbside.sim.town.SurfaceType;
import io.kerbside.sim.weather.WeatherModel;
import io.kerbside.sim.weather.WeatherRegime;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hand-made assets and helpers for model tests. */
final class TestAssets {
  static final ZoneId LONDON = ZoneId.of("Europe/London");
  static final GeoPoint CAMBRIDGE = new GeoPoint(52.2053, 0.1218);

  private TestAssets() {}

  static Asset bin(StreetType street, Set<DayOfWeek> days, LocalTime collection) {
    return new Asset(
        0,
        new DeviceId("bin-00001"),
        DeviceKind.BIN,
        "MAR/BIN/00001",
        CAMBRIDGE,
        "Market",
        "High Street",
        street,
        new BinDetails(1_000, 240, days, collection));
  }

  static Asset lamp(GeoPoint where, LampType type, double powerW, DimmingProfile dimming) {
    return new Asset(
        0,
        new DeviceId("light-00001"),
        DeviceKind.STREETLIGHT,
        "MAR/SL/00001",
        where,
        "Market",
        "Mill Road",
        StreetType.RESIDENTIAL,
        new StreetlightDetails(type, powerW, dimming, 6));
  }

  static Asset pavement(SurfaceType surface, double shade) {
    return new Asset(
        0,
        new DeviceId("pave-00001"),
        DeviceKind.PAVEMENT,
        "MAR/PV/00001",
        CAMBRIDGE,
        "Market",
        "Mill Road",
        StreetType.RESIDENTIAL,
        new PavementDetails(surface, 50, shade));
  }

  static WeatherModel weather(WeatherRegime regime) {
    return new WeatherModel(42, TownCentre.DEFAULT, regime);
  }

  /** A reading and the conditions seen while advancing to it. */
  record Step(Instant at, double[] values) {
    double get(io.kerbside.core.Metric m) {
      return values[m.ordinal()];
    }
  }

  /** Records conditions. */
  static final class Conditions implements ConditionSink {
    final List<String> seen = new ArrayList<>();
    final List<Instant> at = new ArrayList<>();

    @Override
    public void condition(
        io.kerbside.sim.ConditionType type,
        Asset asset,
        Instant from,
        Instant until,
        Map<String, Object> detail) {
      seen.add(type.code());
      at.add(from);
    }
  }

  static Step advance(DeviceModel model, Instant t, ConditionSink conditions) {
    double[] v = SimReading.blankValues();
    model.advanceTo(t, v, conditions);
    return new Step(t, v);
  }
}
