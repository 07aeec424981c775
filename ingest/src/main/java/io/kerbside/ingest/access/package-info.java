/**
 * Broker access for a council's devices: which topic each device may publish to and what Kerbside's
 * own login may subscribe to, derived from the configured subscriptions, written as a Mosquitto
 * password file and ACL ({@link io.kerbside.ingest.access.MosquittoAccess}).
 */
package io.kerbside.ingest.access;
