package io.kerbside.sim.encode;

import io.kerbside.sim.model.SimReading;
import java.nio.charset.StandardCharsets;

/**
 * An encoder that writes each reading as JSON text. How a mangled message is made is the same for
 * every JSON format: cut short, replaced by a line that is not JSON, or the format's own
 * field-level mistake written by {@link #write}.
 */
abstract class JsonTextEncoder implements ReadingEncoder {

  /**
   * The reading as JSON text.
   *
   * @param how null for a well-formed message, else the field-level mistake to make
   */
  abstract String write(SimReading reading, Malformation how);

  /** A line that is not JSON at all, as a device or gateway in trouble might send. */
  abstract String notJson(SimReading reading);

  @Override
  public final byte[] encode(SimReading reading) {
    return write(reading, null).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public final byte[] encodeMalformed(SimReading reading, Malformation how) {
    String json = write(reading, how);
    String text =
        switch (how) {
          case TRUNCATED -> json.substring(0, Math.max(2, json.length() * 3 / 5));
          case NOT_JSON -> notJson(reading);
          default -> json;
        };
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
