package io.kerbside.ingest.mqtt;

import io.kerbside.ingest.decode.PayloadFormat;

/**
 * One configured topic filter: what arrives on it belongs to {@code councilSlug} and is decoded as
 * {@code format}. Neither is ever taken from the payload.
 *
 * @param topicFilter an MQTT filter such as {@code kerbside/+/+}, without any {@code $share} prefix
 * @param format how payloads on it are decoded
 * @param councilSlug the council they belong to
 */
public record Subscription(String topicFilter, PayloadFormat format, String councilSlug) {

  /** True when {@code topic} matches this subscription's filter (MQTT wildcard rules). */
  public boolean matches(String topic) {
    return TopicFilters.matches(topicFilter, topic);
  }
}
