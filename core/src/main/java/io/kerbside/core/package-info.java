/** Kerbside's shared domain model, configuration and database schema. */
package io.kerbside.core;
