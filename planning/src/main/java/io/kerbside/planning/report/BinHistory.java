package io.kerbside.planning.report;

import io.kerbside.core.bins.FillPrediction;
import java.util.List;

/**
 * One bin over the report's period: its registry entry, its fill readings oldest first (from every
 * device attached to it) and how many stops of stored collection plans were marked emptied.
 */
record BinHistory(
    long assetPk,
    String assetRef,
    String name,
    String street,
    String ward,
    List<FillPrediction.Point> fill,
    int crewLifts) {
  BinHistory {
    fill = List.copyOf(fill);
  }
}
