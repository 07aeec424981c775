package io.kerbside.planning.report;

/**
 * One bin of the report: its registry entry, its figures, and what is recommended and why (the
 * reason states the figures and thresholds that decided it).
 */
public record RationalisedBin(
    long assetPk,
    String assetRef,
    String name,
    String street,
    String ward,
    BinFigures figures,
    Recommendation recommendation,
    String reason) {}
