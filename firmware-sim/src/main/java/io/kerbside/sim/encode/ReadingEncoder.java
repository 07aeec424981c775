package io.kerbside.sim.encode;

import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;

/**
 * Turns readings into the topic and bytes of one payload format. One implementation per {@link
 * OutputFormat}: native, The Things Stack v3 uplinks ({@code v3/<app>@<tenant>/devices/<id>/up}
 * with the reading as {@code decoded_payload}), ChirpStack v4 events ({@code
 * application/<id>/device/<eui>/event/up} with {@code object}) and SenML packs: each decides its
 * topic and wraps the same readings.
 *
 * <p>Implementations are not required to be thread-safe: the simulation encodes on one thread.
 */
public interface ReadingEncoder {
  OutputFormat format();

  /** The topic {@code asset}'s device publishes on under {@code topicPrefix}. */
  String topic(String topicPrefix, Asset asset);

  /** The payload of one reading. */
  byte[] encode(SimReading reading);

  /**
   * A payload of {@code reading} mangled as {@code how}, which Kerbside must dead-letter with
   * {@link Malformation#expectedReason()}, once.
   */
  byte[] encodeMalformed(SimReading reading, Malformation how);

  /**
   * True when a value out of its metric's range rejects only that value and Kerbside stores the
   * reading's other values (SenML, whose records stand alone); false when it rejects the whole
   * payload.
   */
  default boolean rejectsValuesAlone() {
    return false;
  }
}
