/**
 * Collection plans read from the files {@code kerbside plan collections} writes (CSV or GeoJSON) or
 * from Kerbside's plans API ({@link io.kerbside.sim.plan.PlansApiClient}), so that the simulated
 * town empties its bins as a plan says instead of on fixed rounds.
 */
package io.kerbside.sim.plan;
