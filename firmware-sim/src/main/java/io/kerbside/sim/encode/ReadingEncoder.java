package io.kerbside.sim.encode;

import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;

/**
 * Turns readings into the topic and bytes of one payload format. One implementation per {@link
 * OutputFormat}: native today; The Things Stack v3 uplinks ({@code
 * v3/<app>@<tenant>/devices/<id>/up} with the reading as {@code decoded_payload}), ChirpStack v4
 * events ({@code application/<id>/device/<eui>/event/up} with {@code object}) and SenML records fit
 * the same shape: each decides its topic and wraps the same readings.
 *
 * <p>Implementations are not required to be thread-safe: the simulation encodes on one thread.
 */
public interface ReadingEncoder {
  OutputFormat format();

  /** The topic {@code asset}'s device publishes on under {@code topicPrefix}. */
  String topic(String topicPrefix, Asset asset);

  /** The payload of one reading. */
  byte[] encode(SimReading reading);

  /** A payload of {@code reading} mangled as {@code how}, which Kerbside must dead-letter. */
  byte[] encodeMalformed(SimReading reading, Malformation how);
}
