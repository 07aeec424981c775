/** Reproducible random streams derived from a run's seed. */
package io.kerbside.sim.random;
