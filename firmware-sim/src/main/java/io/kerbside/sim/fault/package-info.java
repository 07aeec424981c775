/**
 * Fault injection: the plan of device faults decided before a run, their playing during it, and the
 * per-reading delivery faults.
 */
package io.kerbside.sim.fault;
