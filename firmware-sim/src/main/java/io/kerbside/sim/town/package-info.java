/**
 * The simulated town: its assets with their locations, wards, streets and the attributes of each
 * kind, and the generator that lays it out from a seed.
 */
package io.kerbside.sim.town;
