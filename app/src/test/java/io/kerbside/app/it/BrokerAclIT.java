package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kerbside broker acl} against a real Mosquitto started with the files it writes: anonymous
 * clients are refused, a device publishes only to its own topic (not as another device), and
 * Kerbside's login subscribes but cannot publish.
 */
class BrokerAclIT {
  private static final String KERBSIDE_PASSWORD = "kerbside-" + UUID.randomUUID();

  @TempDir Path dir;

  @Test
  void devicesPublishOnlyAsThemselvesAndAnonymousClientsAreRefused() throws Exception {
    try (TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
        HikariDataSource ds = db.migrated()) {
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        for (String id : List.of("bin-a", "bin-b")) {
          st.execute(
              "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, bin_depth_mm)"
                  + " VALUES (1, 'A/"
                  + id
                  + "', 'bin', 52.2, 0.12, 1000)");
          st.execute(
              "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
                  + " SELECT 1, '"
                  + id
                  + "', 'bin', asset_pk, now() FROM asset WHERE asset_ref = 'A/"
                  + id
                  + "'");
        }
      }
      Map<String, String> env = new HashMap<>();
      env.put("KERBSIDE_DB_URL", db.url());
      env.put("KERBSIDE_DB_USER", TestServices.adminUser());
      env.put("KERBSIDE_MQTT_USERNAME", "kerbside");
      env.put("KERBSIDE_MQTT_PASSWORD", KERBSIDE_PASSWORD);
      env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", "town/kerbside/+/+=native@default");
      Path passwd = dir.resolve("passwd");
      Path acl = dir.resolve("acl");
      Path credentials = dir.resolve("creds.csv");
      String out =
          Cli.run(
              env,
              0,
              "broker",
              "acl",
              "--council",
              "default",
              "--password-file",
              passwd.toString(),
              "--acl-file",
              acl.toString(),
              "--credentials",
              credentials.toString());
      assertThat(out).contains("2 of 2 devices").doesNotContain(KERBSIDE_PASSWORD);
      assertThat(Files.getPosixFilePermissions(credentials))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      Map<String, String> passwords = new HashMap<>();
      for (String line : Files.readAllLines(credentials).subList(1, 3)) {
        String[] f = line.split(",");
        passwords.put(f[0], f[1]);
      }

      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path conf = dir.resolve("mosquitto.conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "user root",
              "persistence false",
              "listener " + port + " 127.0.0.1",
              "allow_anonymous false",
              "password_file " + passwd,
              "acl_file " + acl,
              ""));
      Process broker =
          new ProcessBuilder("mosquitto", "-c", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("mosquitto.log").toFile())
              .start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> listening(port));
        String url = "tcp://127.0.0.1:" + port;

        assertThatThrownBy(() -> connect(url, null, null).close())
            .as("anonymous")
            .isInstanceOf(MqttException.class);
        assertThatThrownBy(() -> connect(url, "bin-a", "not-its-password").close())
            .as("a wrong password")
            .isInstanceOf(MqttException.class);

        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient kerbside = connect(url, "kerbside", KERBSIDE_PASSWORD);
        kerbside.subscribe(
            "town/kerbside/+/+",
            1,
            (topic, m) ->
                received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
        MqttClient a = connect(url, "bin-a", passwords.get("bin-a"));
        a.publish("town/kerbside/bin/bin-b", "{\"fill_pct\":1}".getBytes(), 1, false);
        a.publish("town/kerbside/streetlight/bin-a", "{\"fill_pct\":2}".getBytes(), 1, false);
        kerbside.publish("town/kerbside/bin/bin-a", "{\"fill_pct\":3}".getBytes(), 1, false);
        a.publish("town/kerbside/bin/bin-a", "{\"fill_pct\":4}".getBytes(), 1, false);
        MqttClient b = connect(url, "bin-b", passwords.get("bin-b"));
        b.publish("town/kerbside/bin/bin-b", "{\"fill_pct\":5}".getBytes(), 1, false);

        // Every publish above was confirmed before the next was sent, so the broker handled them
        // in this order, and Kerbside's one connection receives what it routed in that order:
        // once bin-b's reading (the last) is in, anything refused would already be there too.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> received.contains("town/kerbside/bin/bin-b {\"fill_pct\":5}"));
        assertThat(received)
            .containsExactly(
                "town/kerbside/bin/bin-a {\"fill_pct\":4}",
                "town/kerbside/bin/bin-b {\"fill_pct\":5}");
        for (MqttClient client : List.of(a, b, kerbside)) {
          client.disconnect();
          client.close();
        }
      } finally {
        broker.destroy();
        broker.waitFor();
      }

      // run again: devices keep their passwords, nothing new is given out
      Files.delete(credentials);
      String again =
          Cli.run(
              env,
              0,
              "broker",
              "acl",
              "--council",
              "default",
              "--password-file",
              passwd.toString(),
              "--acl-file",
              acl.toString(),
              "--credentials",
              credentials.toString());
      assertThat(again).doesNotContain("new device password");
      assertThat(Files.exists(credentials)).isFalse();
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static MqttClient connect(String url, String user, String password) throws MqttException {
    MqttClient c =
        new MqttClient(
            url, "acl-it-" + UUID.randomUUID().toString().substring(0, 8), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setCleanSession(true);
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(5);
    if (user != null) {
      o.setUserName(user);
      o.setPassword(password.toCharArray());
    }
    try {
      c.connect(o);
    } catch (MqttException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Runs {@code kerbside args} in a child JVM with {@code env}. */
  static final class Cli {
    static String run(Map<String, String> env, int exitCode, String... args) throws Exception {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("io.kerbside.app.cli.KerbsideCli");
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().keySet().removeIf(k -> k.startsWith("KERBSIDE_"));
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(out).isEqualTo(exitCode);
      return out;
    }
  }
}
