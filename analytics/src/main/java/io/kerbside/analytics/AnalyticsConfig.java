package io.kerbside.analytics;

import io.kerbside.analytics.rules.RuleSettings;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The analytics role's settings, loaded once and validated at start-up; every setting is documented
 * in docs/configuration.md.
 *
 * @param pollInterval how often new readings are looked for (event-driven rules)
 * @param cycleInterval how often timer-driven rules run (offline, predicted full, escalation)
 * @param catchUp how far back readings are evaluated when analytics first starts or falls behind
 * @param flapWindow a condition returning within this time after Kerbside resolved it re-opens the
 *     same alert
 * @param escalateAfter an open critical alert nobody acknowledged is re-notified after this
 * @param devicesPerPass how many devices one transaction evaluates
 * @param zone local time of the councils' schedules (bin collection rounds)
 */
public record AnalyticsConfig(
    Duration pollInterval,
    Duration cycleInterval,
    Duration catchUp,
    Duration flapWindow,
    Duration escalateAfter,
    int devicesPerPass,
    java.time.ZoneId zone,
    RuleSettings rules) {

  public static final String POLL_INTERVAL = "KERBSIDE_ANALYTICS_POLL_INTERVAL_MS";
  public static final String CYCLE_INTERVAL = "KERBSIDE_ANALYTICS_CYCLE_INTERVAL_S";
  public static final String CATCH_UP = "KERBSIDE_ANALYTICS_CATCH_UP_H";
  public static final String FLAP_WINDOW = "KERBSIDE_ANALYTICS_FLAP_WINDOW_MIN";
  public static final String ESCALATE_AFTER = "KERBSIDE_ANALYTICS_ESCALATE_AFTER_MIN";
  public static final String DEVICES_PER_PASS = "KERBSIDE_ANALYTICS_DEVICES_PER_PASS";
  public static final String RULES_FILE = "KERBSIDE_ANALYTICS_RULES_FILE";
  public static final String TIME_ZONE = "KERBSIDE_ANALYTICS_TIME_ZONE";

  public static AnalyticsConfig from(Settings s) {
    String rulesFile = s.string(RULES_FILE, "");
    RuleSettings rules;
    if (rulesFile.isBlank()) {
      rules = RuleSettings.defaults();
    } else {
      Path p = Path.of(rulesFile);
      if (!Files.isReadable(p)) {
        throw new ConfigException(RULES_FILE + " names " + rulesFile + ", which cannot be read");
      }
      rules = RuleSettings.load(p, RULES_FILE);
    }
    return new AnalyticsConfig(
        Duration.ofMillis(s.intBetween(POLL_INTERVAL, 1000, 50, 60_000)),
        Duration.ofSeconds(s.intBetween(CYCLE_INTERVAL, 60, 1, 86_400)),
        // as far back as readings can be kept (KERBSIDE_RETENTION_DAYS), so a replay of any stored
        // day works
        Duration.ofHours(s.intBetween(CATCH_UP, 24, 1, 24 * 36_500)),
        Duration.ofMinutes(s.intBetween(FLAP_WINDOW, 60, 0, 7 * 24 * 60)),
        Duration.ofMinutes(s.intBetween(ESCALATE_AFTER, 30, 1, 7 * 24 * 60)),
        s.intBetween(DEVICES_PER_PASS, 500, 1, 100_000),
        zone(s.string(TIME_ZONE, "Europe/London")),
        rules);
  }

  private static java.time.ZoneId zone(String id) {
    try {
      return java.time.ZoneId.of(id);
    } catch (java.time.DateTimeException e) {
      throw new ConfigException(
          TIME_ZONE + " must be a time zone such as Europe/London, got '" + id + "'");
    }
  }
}
