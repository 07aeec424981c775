package io.kerbside.ingest.access;

import io.kerbside.core.DeviceKind;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.mqtt.Subscription;
import java.util.ArrayList;
import java.util.List;

/**
 * The topics a native device publishes on: a council's native subscription filter with its last two
 * levels (kind and device id, as the native decoder reads them) filled in. A filter whose other
 * levels hold a wildcard names no single topic and is refused, never guessed.
 */
final class DeviceTopics {
  private DeviceTopics() {}

  /**
   * The topics of device {@code id} of {@code kind} under the council's native filters.
   *
   * @throws IllegalArgumentException when a native filter of the council cannot name one topic
   */
  static List<String> of(List<Subscription> councilSubscriptions, DeviceKind kind, String id) {
    List<String> topics = new ArrayList<>();
    for (Subscription s : councilSubscriptions) {
      if (s.format() != PayloadFormat.NATIVE) {
        continue;
      }
      String[] levels = s.topicFilter().split("/", -1);
      int n = levels.length;
      if (n < 2) {
        throw new IllegalArgumentException(
            "filter '" + s.topicFilter() + "' has no kind and device levels");
      }
      for (int i = 0; i < n - 2; i++) {
        if (levels[i].equals("+") || levels[i].equals("#")) {
          throw new IllegalArgumentException(
              "filter '"
                  + s.topicFilter()
                  + "' has a wildcard before its kind and device levels: a device's topic"
                  + " cannot be named from it");
        }
      }
      String kindLevel = levels[n - 2];
      String idLevel = levels[n - 1];
      if (idLevel.equals("#") || kindLevel.equals("#")) {
        throw new IllegalArgumentException(
            "filter '" + s.topicFilter() + "' ends in #: a device's topic cannot be named from it");
      }
      boolean kindFits = kindLevel.equals("+") || kindLevel.equals(kind.code());
      boolean idFits = idLevel.equals("+") || idLevel.equals(id);
      if (kindFits && idFits) {
        levels[n - 2] = kind.code();
        levels[n - 1] = id;
        topics.add(String.join("/", levels));
      }
    }
    return topics;
  }
}
