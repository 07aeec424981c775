package io.kerbside.sim.town;

/** The attributes an asset register keeps for one kind of asset. */
public sealed interface AssetDetails permits BinDetails, StreetlightDetails, PavementDetails {}
