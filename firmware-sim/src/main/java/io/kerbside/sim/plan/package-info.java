/**
 * Collection plans read from the files {@code kerbside plan collections} writes (CSV or GeoJSON),
 * so that the simulated town empties its bins as a plan says instead of on fixed rounds.
 */
package io.kerbside.sim.plan;
