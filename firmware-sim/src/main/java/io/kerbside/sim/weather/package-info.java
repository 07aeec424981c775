/** The town's weather and daylight, as pure functions of the seed, the place and the time. */
package io.kerbside.sim.weather;
