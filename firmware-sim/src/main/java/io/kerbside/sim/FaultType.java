package io.kerbside.sim;

import static io.kerbside.core.DeviceKind.BIN;
import static io.kerbside.core.DeviceKind.PAVEMENT;
import static io.kerbside.core.DeviceKind.STREETLIGHT;

import io.kerbside.core.DeviceKind;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A fault the simulator injects on purpose and records in the ground truth. Device faults change
 * what a device measures or reports; delivery faults change how its messages reach the broker.
 */
public enum FaultType {
  /** The device stops reporting for a while (its sequence numbers go on). */
  OFFLINE(Category.DEVICE, EnumSet.allOf(DeviceKind.class)),
  /** One metric keeps reporting the value it had when the fault began. */
  STUCK_VALUE(Category.DEVICE, EnumSet.allOf(DeviceKind.class)),
  /** One metric drifts away from the truth at a steady rate per hour. */
  DRIFT(Category.DEVICE, EnumSet.allOf(DeviceKind.class)),
  /** One reading carries a physically impossible value; Kerbside rejects it as out of range. */
  IMPOSSIBLE_SPIKE(Category.DEVICE, EnumSet.allOf(DeviceKind.class)),
  /** The battery voltage sags towards 3.0 V. */
  LOW_BATTERY(Category.DEVICE, EnumSet.of(BIN, PAVEMENT)),
  /** The bin's contents burn: its temperature climbs far above the air's. */
  BIN_FIRE(Category.DEVICE, EnumSet.of(BIN)),
  /** The bin lies on its side: tilt near 90 degrees, the fill reading meaningless. */
  BIN_KNOCKED_OVER(Category.DEVICE, EnumSet.of(BIN)),
  /** The lamp is switched on but draws no power (failed lamp or driver). */
  LAMP_FAILURE(Category.DEVICE, EnumSet.of(STREETLIGHT)),
  /** The lamp stays on in daylight (failed photocell). */
  DAY_BURNER(Category.DEVICE, EnumSet.of(STREETLIGHT)),
  /** The lamp goes out and restrikes again and again at night (end-of-life lamp). */
  CYCLING_LAMP(Category.DEVICE, EnumSet.of(STREETLIGHT)),
  /** Water on the pavement (a leak, ponding) and a frost pocket: the surface ices over. */
  PAVEMENT_FREEZING(Category.DEVICE, EnumSet.of(PAVEMENT)),

  /** A message sent twice (a retry); Kerbside stores the reading once. */
  DUPLICATE(Category.DELIVERY, EnumSet.allOf(DeviceKind.class)),
  /** A reading held back and sent after the device's next one. */
  OUT_OF_ORDER(Category.DELIVERY, EnumSet.allOf(DeviceKind.class)),
  /** The device's clock runs ahead: a timestamp hours in the future, rejected by Kerbside. */
  CLOCK_SKEW(Category.DELIVERY, EnumSet.allOf(DeviceKind.class)),
  /** A payload Kerbside cannot decode (truncated, wrong types, bad timestamp...). */
  MALFORMED(Category.DELIVERY, EnumSet.allOf(DeviceKind.class)),
  /** A flood: one device sends dozens of readings a tenth of a second apart. */
  BURST(Category.DELIVERY, EnumSet.allOf(DeviceKind.class)),
  /**
   * Poor radio coverage for a while: about a third of the device's messages are lost on the way,
   * never two in a row (so it never looks silent); its frame counter goes on.
   */
  FRAME_LOSS(Category.DELIVERY, EnumSet.allOf(DeviceKind.class));

  /** Whether a fault is in the device or in the delivery of its messages. */
  public enum Category {
    DEVICE,
    DELIVERY;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Category category;
  private final Set<DeviceKind> kinds;

  FaultType(Category category, Set<DeviceKind> kinds) {
    this.category = category;
    this.kinds = kinds;
  }

  /** The name used in ground-truth files and summaries, e.g. {@code lamp-failure}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public Category category() {
    return category;
  }

  /** True when a device of {@code kind} can have this fault. */
  public boolean appliesTo(DeviceKind kind) {
    return kinds.contains(kind);
  }

  public static Optional<FaultType> fromCode(String code) {
    for (FaultType t : values()) {
      if (t.code().equals(code)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
