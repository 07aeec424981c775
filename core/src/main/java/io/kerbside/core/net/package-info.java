/**
 * Plain sockets for the MQTT clients of every module (ingest, the simulator's publishers, the
 * benchmark's references), with the JDK only.
 */
package io.kerbside.core.net;
