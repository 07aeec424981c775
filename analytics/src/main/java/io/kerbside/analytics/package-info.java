/**
 * Maintenance alerts from stored readings. The module is laid out now so that the build and the
 * distribution have their final shape; its rules arrive with the analytics work.
 */
package io.kerbside.analytics;
