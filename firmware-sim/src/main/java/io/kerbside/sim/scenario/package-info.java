/** What each named scenario sets up: weather, faults, bins and its default start. */
package io.kerbside.sim.scenario;
