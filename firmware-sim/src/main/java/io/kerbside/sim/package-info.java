/**
 * Simulated street sensors for tests, demos and benchmarks: a town of bins, streetlights and
 * pavements ({@link io.kerbside.sim.Simulation}) publishing to MQTT under a named {@link
 * io.kerbside.sim.Scenario}, with faults recorded in a ground-truth file; and the load publisher of
 * the ingest benchmark ({@code load/}).
 */
package io.kerbside.sim;
