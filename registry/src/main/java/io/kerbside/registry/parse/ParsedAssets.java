package io.kerbside.registry.parse;

import io.kerbside.registry.AssetRecord;
import io.kerbside.registry.ImportReport.Rejection;
import java.util.List;

/**
 * The records of an asset list that passed validation, and those that did not with their reasons.
 *
 * @param positions where each accepted record is in the file ({@code line 12}, {@code feature 3}),
 *     in the order of {@code accepted}
 */
public record ParsedAssets(
    List<AssetRecord> accepted, List<String> positions, List<Rejection> rejected) {
  public ParsedAssets {
    accepted = List.copyOf(accepted);
    positions = List.copyOf(positions);
    rejected = List.copyOf(rejected);
    if (positions.size() != accepted.size()) {
      throw new IllegalArgumentException("one position per accepted record");
    }
  }
}
