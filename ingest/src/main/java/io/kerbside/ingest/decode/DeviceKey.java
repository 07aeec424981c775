package io.kerbside.ingest.decode;

import io.kerbside.core.DeviceKind;

/** A device as a message names it: council, kind and id from the topic, never from the payload. */
public record DeviceKey(int councilId, DeviceKind kind, String deviceId) {}
