/**
 * The registry's REST API under {@code /api/v1}, described by {@code /openapi.yaml}. Every call
 * needs {@code Authorization: Bearer <key>} with a council's API key and sees only that council.
 */
package io.kerbside.registry.api;
