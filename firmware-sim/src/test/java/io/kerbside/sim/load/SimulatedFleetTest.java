package io.kerbside.sim.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.DeviceKind;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SimulatedFleetTest {
  private static final long NOW_MS = 1_795_687_200_123L;

  @Test
  void namesDevicesWithAtLeastFiveDigitsAndPublishesOnTheNativeTopic() {
    SimulatedFleet fleet = new SimulatedFleet(DeviceKind.BIN, "kerbside", "bench-bin-", 100);

    assertThat(fleet.deviceId(42)).isEqualTo("bench-bin-00042");
    assertThat(fleet.topic(42)).isEqualTo("kerbside/bin/bench-bin-00042");
    assertThat(SimulatedFleet.deviceId("bench-bin-", 1_234_567)).isEqualTo("bench-bin-1234567");
  }

  @Test
  void refusesAPrefixThatMakesInvalidDeviceIds() {
    assertThatThrownBy(() -> new SimulatedFleet(DeviceKind.BIN, "kerbside", "bench bin/", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid device id");
  }

  @Test
  void numbersEachDevicesReadingsFromOneIndependently() {
    SimulatedFleet fleet = new SimulatedFleet(DeviceKind.BIN, "kerbside", "d-", 2);

    fleet.advance(0, NOW_MS);
    fleet.advance(0, NOW_MS + 5);
    fleet.advance(1, NOW_MS + 6);

    assertThat(fleet.lastSeq(0)).isEqualTo(2);
    assertThat(fleet.lastSeq(1)).isEqualTo(1);
  }

  @Test
  void stampsReadingsWithThePublishTimeWhenTheClockMovesOn() {
    SimulatedFleet fleet = new SimulatedFleet(DeviceKind.BIN, "kerbside", "d-", 1);

    assertThat(fleet.advance(0, NOW_MS)).isEqualTo(NOW_MS);
    assertThat(fleet.advance(0, NOW_MS + 250)).isEqualTo(NOW_MS + 250);
  }

  @Test
  void keepsADevicesTimestampsStrictlyIncreasingWhenTheClockStandsStillOrGoesBack() {
    SimulatedFleet fleet = new SimulatedFleet(DeviceKind.BIN, "kerbside", "d-", 2);

    long first = fleet.advance(0, NOW_MS);
    long sameMs = fleet.advance(0, NOW_MS);
    long clockBack = fleet.advance(0, NOW_MS - 1_000);
    long otherDevice = fleet.advance(1, NOW_MS);

    assertThat(sameMs).isEqualTo(first + 1);
    assertThat(clockBack).isEqualTo(first + 2);
    assertThat(otherDevice).as("another device may share the millisecond").isEqualTo(NOW_MS);
    assertThat(fleet.advance(0, NOW_MS + 10)).isEqualTo(NOW_MS + 10);
  }

  @Test
  void spreadsReadingsRoundRobinSoCountsDifferByAtMostOne() {
    int devices = 7;
    long total = 100;

    long[] counts =
        LongStream.range(0, devices)
            .map(d -> SimulatedFleet.readingsFor((int) d, devices, total))
            .toArray();

    assertThat(LongStream.of(counts).sum()).isEqualTo(total);
    assertThat(counts).containsExactly(15L, 15L, 14L, 14L, 14L, 14L, 14L);
    assertThat(SimulatedFleet.readingsFor(4, 10_000, 5)).isEqualTo(1);
    assertThat(SimulatedFleet.readingsFor(5, 10_000, 5)).isZero();
  }
}
