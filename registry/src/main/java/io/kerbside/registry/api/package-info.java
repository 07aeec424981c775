/**
 * The registry's REST operations under {@code /api/v1} (assets, devices, readings), contributed to
 * the API that the {@code api} module mounts and describes in {@code /openapi.yaml}.
 */
package io.kerbside.registry.api;
