/**
 * Load generation: many simulated devices publishing native readings as fast as the broker takes
 * them, or at a paced rate. The entry point is {@link io.kerbside.sim.load.LoadPublisher}.
 */
package io.kerbside.sim.load;
