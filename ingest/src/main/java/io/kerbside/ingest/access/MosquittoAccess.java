package io.kerbside.ingest.access;

import io.kerbside.core.DeviceKind;
import io.kerbside.ingest.mqtt.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A Mosquitto password file and ACL for Kerbside and a council's devices: Kerbside's login may only
 * subscribe (read) to the configured filters; each device may only publish (write) to its own
 * topic; nobody else is named, so with {@code allow_anonymous false} anonymous clients are refused.
 * Existing entries of the password file are kept (a device's password is not changed by running
 * again) unless a rotation is asked for.
 */
public final class MosquittoAccess {
  private final String kerbsideUser;
  private final String kerbsidePasswordHash;
  private final List<Subscription> subscriptions;
  private final Map<String, String> existingHashes;
  private final boolean rotate;
  private final Map<String, String> hashes = new TreeMap<>();
  private final Map<String, String> newPasswords = new LinkedHashMap<>();
  private final StringBuilder acl = new StringBuilder();

  /**
   * @param kerbsideUser Kerbside's broker login ({@code KERBSIDE_MQTT_USERNAME})
   * @param kerbsidePassword its password, hashed here and never kept
   * @param subscriptions the configured subscriptions ({@code KERBSIDE_INGEST_SUBSCRIPTIONS})
   * @param existingPasswordFile the current password file's text, empty when there is none
   * @param rotate give every device a new password, even one already in the file
   */
  public MosquittoAccess(
      String kerbsideUser,
      String kerbsidePassword,
      List<Subscription> subscriptions,
      String existingPasswordFile,
      boolean rotate) {
    if (kerbsideUser.isBlank() || kerbsidePassword.isEmpty()) {
      throw new IllegalArgumentException(
          "Kerbside's own broker login needs KERBSIDE_MQTT_USERNAME and KERBSIDE_MQTT_PASSWORD");
    }
    this.kerbsideUser = kerbsideUser;
    this.kerbsidePasswordHash = MosquittoPasswords.hash(kerbsidePassword);
    this.subscriptions = List.copyOf(subscriptions);
    this.existingHashes = parse(existingPasswordFile);
    this.rotate = rotate;
    hashes.put(kerbsideUser, kerbsidePasswordHash);
    acl.append("# Written by kerbside broker acl; devices publish only to their own topic.\n");
    acl.append("# Kerbside's own login: subscribe only\n");
    acl.append("user ").append(kerbsideUser).append('\n');
    for (Subscription s : this.subscriptions) {
      acl.append("topic read ").append(s.topicFilter()).append('\n');
    }
  }

  /** One device record: its id (the broker user name) and kind. */
  public record Device(String id, DeviceKind kind) {}

  /**
   * Adds a council's devices: each may publish only to its topics under the council's native
   * filters.
   *
   * @return how many devices were given a topic
   * @throws IllegalArgumentException when the council has no subscription, or a native filter of it
   *     cannot name one topic per device
   */
  public int addCouncil(String councilSlug, List<Device> devices) {
    List<Subscription> councils =
        subscriptions.stream().filter(s -> s.councilSlug().equals(councilSlug)).toList();
    if (councils.isEmpty()) {
      throw new IllegalArgumentException(
          "council " + councilSlug + " has no subscription in KERBSIDE_INGEST_SUBSCRIPTIONS");
    }
    int added = 0;
    for (Device d : devices) {
      List<String> topics = DeviceTopics.of(councils, d.kind(), d.id());
      if (topics.isEmpty()) {
        continue;
      }
      if (d.id().equals(kerbsideUser)) {
        throw new IllegalArgumentException(
            "device " + d.id() + " has the same name as Kerbside's own broker login");
      }
      acl.append("\n# ").append(councilSlug).append(' ').append(d.kind().code()).append('\n');
      acl.append("user ").append(d.id()).append('\n');
      for (String t : topics) {
        acl.append("topic write ").append(t).append('\n');
      }
      Optional<String> kept =
          rotate ? Optional.empty() : Optional.ofNullable(existingHashes.get(d.id()));
      if (kept.isPresent()) {
        hashes.put(d.id(), kept.get());
      } else {
        String password = MosquittoPasswords.newPassword();
        hashes.put(d.id(), MosquittoPasswords.hash(password));
        newPasswords.put(d.id(), password);
      }
      added++;
    }
    return added;
  }

  /** The password file: {@code user:hash} lines. */
  public String passwordFile() {
    StringBuilder b = new StringBuilder();
    hashes.forEach((u, h) -> b.append(u).append(':').append(h).append('\n'));
    return b.toString();
  }

  /** The ACL file. */
  public String aclFile() {
    return acl.toString();
  }

  /**
   * The passwords given out by this run, as CSV ({@code device_id,password}); the only copy, since
   * the password file holds hashes.
   */
  public String newCredentialsCsv() {
    StringBuilder b = new StringBuilder("device_id,password\n");
    newPasswords.forEach((u, p) -> b.append(u).append(',').append(p).append('\n'));
    return b.toString();
  }

  public int newPasswordCount() {
    return newPasswords.size();
  }

  private static Map<String, String> parse(String passwordFile) {
    Map<String, String> m = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>(passwordFile.lines().toList());
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (line.isBlank() || line.startsWith("#") || colon <= 0) {
        continue;
      }
      m.put(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    return m;
  }
}
