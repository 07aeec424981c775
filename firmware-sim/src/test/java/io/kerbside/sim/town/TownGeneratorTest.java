package io.kerbside.sim.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.DeviceId;
import io.kerbside.core.DeviceKind;
import io.kerbside.sim.TownCentre;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TownGeneratorTest {
  private static final GeoPoint CENTRE =
      new GeoPoint(TownCentre.DEFAULT.latitude(), TownCentre.DEFAULT.longitude());

  @Test
  void theSameSeedGivesTheSameTown() {
    Town a = TownGenerator.generate(500, TownCentre.DEFAULT, 42);
    Town b = TownGenerator.generate(500, TownCentre.DEFAULT, 42);

    assertThat(a).isEqualTo(b);
  }

  @Test
  void anotherSeedGivesAnotherTown() {
    Town a = TownGenerator.generate(500, TownCentre.DEFAULT, 42);
    Town b = TownGenerator.generate(500, TownCentre.DEFAULT, 43);

    assertThat(a.assets()).isNotEqualTo(b.assets());
  }

  @Test
  void placesEveryAssetNearTheCentre() {
    Town town = TownGenerator.generate(1_000, TownCentre.DEFAULT, 42);

    assertThat(town.radiusM()).isBetween(1_000.0, 2_000.0);
    for (Asset a : town.assets()) {
      assertThat(a.location().distanceMetres(CENTRE)).isLessThan(town.radiusM() * 1.25);
    }
    long inTheMiddle =
        town.assets().stream()
            .filter(a -> a.location().distanceMetres(CENTRE) < town.radiusM() / 2)
            .count();
    assertThat(inTheMiddle).isGreaterThan(100);
  }

  @Test
  void movesWithTheCentre() {
    TownCentre york = new TownCentre("York", 53.9590, -1.0815, ZoneId.of("Europe/London"));
    Town town = TownGenerator.generate(100, york, 42);

    for (Asset a : town.assets()) {
      assertThat(a.location().distanceMetres(new GeoPoint(53.9590, -1.0815)))
          .isLessThan(town.radiusM() * 1.25);
    }
  }

  @Test
  void mixesTheKindsAndNumbersEachKindFromOne() {
    Town town = TownGenerator.generate(1_000, TownCentre.DEFAULT, 42);

    assertThat(town.count(DeviceKind.STREETLIGHT)).isEqualTo(450);
    assertThat(town.count(DeviceKind.BIN)).isEqualTo(350);
    assertThat(town.count(DeviceKind.PAVEMENT)).isEqualTo(200);
    assertThat(town.asset(0).deviceId()).isEqualTo(new DeviceId("bin-00001"));
    assertThat(town.asset(350).deviceId()).isEqualTo(new DeviceId("light-00001"));
    assertThat(town.asset(999).deviceId()).isEqualTo(new DeviceId("pave-00200"));
  }

  @Test
  void givesEveryAssetAUniqueIdAWardAStreetAndTheAttributesOfItsKind() {
    Town town = TownGenerator.generate(2_000, TownCentre.DEFAULT, 7);
    Set<String> ids = new HashSet<>();
    Set<String> refs = new HashSet<>();
    Set<String> wards = new HashSet<>();
    for (Asset a : town.assets()) {
      assertThat(ids.add(a.deviceId().value())).isTrue();
      assertThat(refs.add(a.assetRef())).isTrue();
      assertThat(a.ward()).isNotBlank();
      assertThat(a.street()).isNotBlank();
      wards.add(a.ward());
      switch (a.kind()) {
        case BIN -> {
          assertThat(a.bin().depthMm()).isBetween(500, 1_200);
          assertThat(a.bin().collectionDays()).isNotEmpty();
        }
        case STREETLIGHT -> assertThat(a.streetlight().ratedPowerW()).isBetween(18.0, 150.0);
        case PAVEMENT -> assertThat(a.pavement().shade()).isBetween(0.0, 1.0);
      }
    }
    assertThat(wards).hasSize(7).contains("Market");
  }

  @Test
  void crowdsBinsOnHighStreets() {
    Town town = TownGenerator.generate(2_000, TownCentre.DEFAULT, 42);
    double binsShare = share(town, DeviceKind.BIN);
    double lightsShare = share(town, DeviceKind.STREETLIGHT);

    assertThat(binsShare).isGreaterThan(lightsShare * 1.5);
  }

  private static double share(Town town, DeviceKind kind) {
    long all = town.assets().stream().filter(a -> a.kind() == kind).count();
    long high =
        town.assets().stream()
            .filter(a -> a.kind() == kind && a.streetType() == StreetType.HIGH_STREET)
            .count();
    return (double) high / all;
  }

  @Test
  void buildsATownOfTenThousandQuickly() {
    long t0 = System.nanoTime();
    Town town = TownGenerator.generate(10_000, TownCentre.DEFAULT, 42);

    assertThat(town.size()).isEqualTo(10_000);
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
  }

  @Test
  void aTownOfOneIsAPavement() {
    Town town = TownGenerator.generate(1, TownCentre.DEFAULT, 42);

    assertThat(town.assets())
        .singleElement()
        .extracting(Asset::kind)
        .isEqualTo(DeviceKind.PAVEMENT);
  }
}
