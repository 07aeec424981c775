/** Payload formats: readings to topics and bytes, including deliberately malformed ones. */
package io.kerbside.sim.encode;
