package io.kerbside.sim.encode;

import io.kerbside.sim.OutputFormat;

/** The encoder of each {@link OutputFormat}. */
public final class Encoders {
  private Encoders() {}

  /** A new encoder for {@code format}. */
  public static ReadingEncoder forFormat(OutputFormat format) {
    return switch (format) {
      case NATIVE -> new NativeEncoder();
    };
  }
}
