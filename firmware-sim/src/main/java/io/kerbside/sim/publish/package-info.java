/**
 * Where simulated messages go: MQTT connections, shared or one per device, with rate limiting. The
 * Paho connection settings ({@link io.kerbside.sim.publish.PahoConnections}) and the pacing ({@link
 * io.kerbside.sim.publish.TokenBucket}) serve the load publisher too.
 */
package io.kerbside.sim.publish;
