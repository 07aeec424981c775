package io.kerbside.registry;

import java.util.List;

/**
 * The outcome of one import.
 *
 * @param inserted assets that were new
 * @param updated assets that existed (by reference) and were overwritten, changed or not
 * @param devicesAttached devices attached to a different asset than before (or for the first time)
 * @param rejected records that were not stored, with the reason
 */
public record ImportReport(
    int inserted, int updated, int devicesAttached, List<Rejection> rejected) {
  public ImportReport {
    rejected = List.copyOf(rejected);
  }

  /**
   * A record that was not stored.
   *
   * @param position where it is in the file: {@code line 12} or {@code feature 3}
   * @param assetRef its reference when it had one, else null
   * @param reason why, naming the field
   */
  public record Rejection(String position, String assetRef, String reason) {}
}
