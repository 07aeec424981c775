package io.kerbside.worklists;

import java.util.List;

/** The lamps to visit in one street, in asset order. */
public record StreetLamps(String street, String ward, List<AlertItem> lamps) {}
