package io.kerbside.registry;

import io.kerbside.core.DeviceKind;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Set;

/**
 * What only assets of one kind have. Every field may be null when the council's list leaves it out.
 */
public sealed interface AssetAttributes {
  DeviceKind kind();

  /**
   * @param depthMm sensor to bottom of the bin, in millimetres
   * @param capacityL volume in litres
   * @param collectionDays days the bin is emptied (empty when unknown)
   * @param collectionTime usual local time of collection
   */
  record Bin(
      Integer depthMm, Integer capacityL, Set<DayOfWeek> collectionDays, LocalTime collectionTime)
      implements AssetAttributes {
    public Bin {
      collectionDays = Set.copyOf(collectionDays);
    }

    @Override
    public DeviceKind kind() {
      return DeviceKind.BIN;
    }
  }

  /**
   * @param lampType e.g. {@code led}, {@code son}, {@code cmh}
   * @param ratedPowerW rated lamp power in watts
   * @param dimmingProfile e.g. {@code none}, {@code part-night}
   * @param mountingHeightM column height in metres
   */
  record Streetlight(
      String lampType, Double ratedPowerW, String dimmingProfile, Double mountingHeightM)
      implements AssetAttributes {
    @Override
    public DeviceKind kind() {
      return DeviceKind.STREETLIGHT;
    }
  }

  /**
   * @param surface e.g. {@code asphalt}, {@code concrete}, {@code block-paving}
   * @param use {@code footway} or {@code carriageway}
   * @param sectionLengthM length of the section in metres
   * @param shade share of the day the section is shaded, 0 to 1
   */
  record Pavement(String surface, String use, Double sectionLengthM, Double shade)
      implements AssetAttributes {
    @Override
    public DeviceKind kind() {
      return DeviceKind.PAVEMENT;
    }
  }
}
