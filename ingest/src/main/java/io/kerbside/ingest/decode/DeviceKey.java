package io.kerbside.ingest.decode;

import io.kerbside.core.DeviceKind;
import java.util.Objects;

/** A device as a message names it: council, kind and id from the topic, never from the payload. */
public record DeviceKey(int councilId, DeviceKind kind, String deviceId) {

  // Written out because the writer's device directory hashes a key for every reading; the
  // generated methods go through method handles, and an enum's own hash code is its identity.
  @Override
  public int hashCode() {
    return (councilId * 31 + (kind == null ? -1 : kind.ordinal())) * 31
        + Objects.hashCode(deviceId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceKey k
        && councilId == k.councilId
        && kind == k.kind
        && Objects.equals(deviceId, k.deviceId);
  }
}
