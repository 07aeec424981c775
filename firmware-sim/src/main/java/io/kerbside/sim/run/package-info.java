/**
 * Running a simulation: the paced event loop over the town's devices, the ground-truth log, and the
 * benchmark mode that delegates to {@link io.kerbside.sim.load.LoadPublisher}.
 */
package io.kerbside.sim.run;
