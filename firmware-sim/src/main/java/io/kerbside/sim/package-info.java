/** Simulated street sensors for tests, demos and benchmarks. */
package io.kerbside.sim;
