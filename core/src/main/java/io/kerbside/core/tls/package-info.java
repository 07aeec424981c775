/**
 * TLS material from PEM files, with the JDK only: certificates, private keys and the SSL contexts
 * that clients (MQTT) build from them. Every failure is a {@link
 * io.kerbside.core.config.ConfigException} naming the setting that points at the file.
 */
package io.kerbside.core.tls;
