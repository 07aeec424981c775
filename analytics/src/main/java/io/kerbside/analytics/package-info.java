/**
 * Maintenance alerts from stored readings: rules ({@code rules}), the alert lifecycle ({@code
 * alerts}), evaluation ({@code evaluate}), delivery ({@code notify}) and the REST API ({@code
 * api}).
 */
package io.kerbside.analytics;
