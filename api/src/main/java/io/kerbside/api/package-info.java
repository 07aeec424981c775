/**
 * Kerbside's REST platform under {@code /api/}: {@link io.kerbside.api.ApiRouter} mounts the routes
 * that other modules contribute as {@link io.kerbside.api.ApiRoutes}, and gives every one of them
 * the same authentication by council API key ({@code auth/}), role check, body limits, parameter
 * parsing, error bodies and metrics ({@code http/}). The contract is {@code openapi.yaml}, served
 * at {@code /openapi.yaml}; each operation there names the least role it needs ({@code
 * x-kerbside-role}).
 */
package io.kerbside.api;
