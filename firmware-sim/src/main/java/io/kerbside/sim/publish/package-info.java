/** Where simulated messages go: MQTT connections, shared or one per device, with rate limiting. */
package io.kerbside.sim.publish;
