package io.kerbside.sim.encode;

import io.kerbside.sim.OutputFormat;

/** The encoder of each {@link OutputFormat}. */
public final class Encoders {
  private Encoders() {}

  /** A new encoder for {@code format}. */
  public static ReadingEncoder forFormat(OutputFormat format) {
    return switch (format) {
      case NATIVE -> new NativeEncoder();
      case TTN -> new TtnUplinkEncoder();
      case CHIRPSTACK -> new ChirpStackEncoder();
      case SENML -> new SenmlEncoder();
    };
  }

  /**
   * The DevEUI the {@link OutputFormat#CHIRPSTACK} format gives device {@code deviceId}: 16
   * lower-case hex digits, the same in every run.
   */
  public static String devEui(String deviceId) {
    return LoraUplink.devEui(deviceId);
  }
}
