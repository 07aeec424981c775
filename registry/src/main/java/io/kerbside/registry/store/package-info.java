/**
 * The registry's repositories: every SQL statement of the registry lives here. Every method takes
 * the caller's council and reads or writes nothing of another council. Methods block on JDBC; call
 * them from worker threads.
 */
package io.kerbside.registry.store;
