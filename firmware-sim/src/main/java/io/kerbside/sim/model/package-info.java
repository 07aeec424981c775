/**
 * Device models: the physics of bins, streetlights and pavements, advanced by the simulation to
 * each reporting instant, with no clock of their own.
 */
package io.kerbside.sim.model;
