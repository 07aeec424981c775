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
    String[] f = topicFilter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return !(i == 0 && topic.startsWith("$"));
      }
      if (i >= t.length) {
        return false;
      }
      if (f[i].equals("+")) {
        if (i == 0 && t[0].startsWith("$")) {
          return false;
        }
        continue;
      }
      if (!f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
