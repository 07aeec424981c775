package io.kerbside.analytics.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesConfigTest {
  private static final Map<String, String> ENV =
      Map.of(
          "KERBSIDE_WEBHOOK_CREW_SECRET", "crew-hmac-secret",
          "KERBSIDE_SMTP_PASSWORD", "smtp-password",
          "KERBSIDE_OPEN311_KEY", "open311-key");

  private static final String YAML =
      """
      channels:
        - name: crew
          type: webhook
          url: https://crew.example/hooks/kerbside
          secret_env: KERBSIDE_WEBHOOK_CREW_SECRET
        - name: broker
          type: mqtt
          url: tcp://broker.example:1883
        - name: lights-team
          type: email
          host: smtp.example
          username: kerbside
          password_env: KERBSIDE_SMTP_PASSWORD
          from: alerts@kerbside.example
          to: [lights@council.example]
        - name: works
          type: open311
          endpoint: https://works.example/open311/v2
          api_key_env: KERBSIDE_OPEN311_KEY
          service_codes:
            bin-full: bins
      routes:
        - name: everything-to-the-broker
          channels: [broker]
        - name: castle-bins
          councils: [default]
          kinds: [bin]
          wards: [Castle]
          min_severity: major
          channels: [crew, works]
        - name: lights
          kinds: streetlight
          rules: [lamp-failure, day-burner]
          events: [opened, escalated]
          channels: [lights-team]
      """;

  private static RoutesConfig routes() {
    return RoutesConfig.parse(YAML, "routes.yaml", Settings.from(ENV));
  }

  private static ConfigException invalid(String yaml) {
    return (ConfigException)
        assertThatThrownBy(() -> RoutesConfig.parse(yaml, "routes.yaml", Settings.from(ENV)))
            .isInstanceOf(ConfigException.class)
            .actual();
  }

  @Test
  void routesByCouncilKindWardAndSeverity() {
    RoutesConfig r = routes();
    assertThat(r.channelsFor(Notices.binFull())).containsExactly("broker", "crew", "works");
    assertThat(
            r.channelsFor(
                Notices.notice(
                    "default", "bin", "bin-full", "warning", "opened", Optional.of("Castle"))))
        .containsExactly("broker");
    assertThat(
            r.channelsFor(
                Notices.notice(
                    "default", "bin", "bin-full", "critical", "opened", Optional.of("Abbey"))))
        .containsExactly("broker");
    assertThat(
            r.channelsFor(
                Notices.notice(
                    "other", "bin", "bin-full", "critical", "opened", Optional.of("Castle"))))
        .containsExactly("broker");
    assertThat(
            r.channelsFor(
                Notices.notice(
                    "default", "bin", "bin-full", "critical", "opened", Optional.empty())))
        .containsExactly("broker");
  }

  @Test
  void routesByRuleAndEventType() {
    RoutesConfig r = routes();
    assertThat(
            r.channelsFor(
                Notices.notice(
                    "default",
                    "streetlight",
                    "lamp-failure",
                    "minor",
                    "escalated",
                    Optional.empty())))
        .containsExactly("broker", "lights-team");
    assertThat(
            r.channelsFor(
                Notices.notice(
                    "default",
                    "streetlight",
                    "lamp-failure",
                    "minor",
                    "resolved",
                    Optional.empty())))
        .containsExactly("broker");
    assertThat(
            r.channelsFor(
                Notices.notice(
                    "default", "streetlight", "cycling", "minor", "opened", Optional.empty())))
        .containsExactly("broker");
  }

  @Test
  void anOpen311ChannelIsOfferedOnlyTheEventsThatRaiseAWorksRequest() {
    RoutesConfig r = routes();
    for (String event : new String[] {"escalated", "acknowledged", "resolved", "note"}) {
      assertThat(
              r.channelsFor(
                  Notices.notice(
                      "default", "bin", "bin-full", "major", event, Optional.of("Castle"))))
          .containsExactly("broker", "crew");
    }
    assertThat(
            r.channelsFor(
                Notices.notice(
                    "default", "bin", "bin-full", "major", "reopened", Optional.of("Castle"))))
        .contains("works");
  }

  @Test
  void readsSecretsFromTheEnvironmentAndMasksThem() {
    RoutesConfig r = routes();
    ChannelSettings.Webhook crew = (ChannelSettings.Webhook) r.channel("crew").orElseThrow();
    assertThat(crew.secret().reveal()).isEqualTo("crew-hmac-secret");
    ChannelSettings.Email email = (ChannelSettings.Email) r.channel("lights-team").orElseThrow();
    assertThat(email.password().reveal()).isEqualTo("smtp-password");
    assertThat(email.port()).isEqualTo(587);
    assertThat(email.starttls()).isTrue();
    ChannelSettings.Mqtt mqtt = (ChannelSettings.Mqtt) r.channel("broker").orElseThrow();
    assertThat(mqtt.topicPrefix()).isEqualTo("kerbside/alerts");
    assertThat(mqtt.password().isEmpty()).isTrue();
    assertThat(r.toString())
        .doesNotContain("crew-hmac-secret")
        .doesNotContain("smtp-password")
        .doesNotContain("open311-key")
        .contains("<masked>");
  }

  @Test
  void loadsTheFileNamedInTheSettings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("routes.yaml");
    Files.writeString(file, YAML);
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put(RoutesConfig.FILE, file.toString());
    assertThat(RoutesConfig.from(Settings.from(env)).routes()).hasSize(3);
    assertThat(RoutesConfig.from(Settings.from(Map.of())).channelsFor(Notices.binFull())).isEmpty();
  }

  @Test
  void refusesAMissingSecretNamingTheFileEntryAndVariable() {
    assertThatThrownBy(
            () -> RoutesConfig.parse(YAML, "/etc/kerbside/routes.yaml", Settings.from(Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "/etc/kerbside/routes.yaml: channels[0] 'crew': secret_env names"
                + " KERBSIDE_WEBHOOK_CREW_SECRET, which is not set");
  }

  @Test
  void refusesASecretWrittenIntoTheFile() {
    assertThat(
            invalid(
                    """
                    channels:
                      - name: crew
                        type: webhook
                        url: https://crew.example/hook
                        secret: s3cret
                        secret_env: KERBSIDE_WEBHOOK_CREW_SECRET
                    """)
                .getMessage())
        .startsWith("routes.yaml: channels[0] 'crew': unknown key 'secret'")
        .doesNotContain("s3cret");
    assertThat(
            invalid(
                    """
                    channels:
                      - name: crew
                        type: webhook
                        url: https://crew.example/hook
                        secret_env: s3cret
                    """)
                .getMessage())
        .contains("secret_env must name a KERBSIDE_* environment variable");
  }

  @Test
  void refusesARouteToAnUndeclaredChannel() {
    assertThat(
            invalid(
                    """
                    channels:
                      - name: broker
                        type: mqtt
                        url: tcp://broker.example:1883
                    routes:
                      - name: bins
                        kinds: [bin]
                        channels: [brokr]
                    """)
                .getMessage())
        .isEqualTo(
            "routes.yaml: routes[0] 'bins': channels names 'brokr', which is not declared under"
                + " channels");
  }

  @Test
  void refusesBadValuesNamingTheEntry() {
    String broker = "channels:\n  - name: b\n    type: mqtt\n    url: tcp://h:1883\n";
    assertThat(invalid(broker + "routes:\n  - kinds: [tree]\n    channels: [b]\n").getMessage())
        .isEqualTo(
            "routes.yaml: routes[0]: kinds must be among bin, streetlight, pavement, got 'tree'");
    assertThat(
            invalid(broker + "routes:\n  - min_severity: high\n    channels: [b]\n").getMessage())
        .contains("routes[0]: min_severity must be one of critical, major, minor, warning");
    assertThat(invalid(broker + "routes:\n  - events: [closed]\n    channels: [b]\n").getMessage())
        .contains("routes[0]: events must be among");
    assertThat(invalid(broker + "routes:\n  - kinds: [bin]\n").getMessage())
        .contains("routes[0]: channels must name at least one channel");
    assertThat(invalid(broker + broker.substring("channels:\n".length())).getMessage())
        .isEqualTo("routes.yaml: channels[1] 'b': a channel named 'b' is already declared");
    assertThat(invalid("channels:\n  - name: x\n    type: pager\n").getMessage())
        .isEqualTo(
            "routes.yaml: channels[0] 'x': type must be one of webhook, mqtt, email, open311, got"
                + " 'pager'");
    assertThat(
            invalid(
                    "channels:\n  - name: x\n    type: webhook\n    url: ftp://a/b\n    secret_env: KERBSIDE_WEBHOOK_CREW_SECRET\n")
                .getMessage())
        .contains("url must be an http:// or https:// URL");
    assertThat(
            invalid(
                    "channels:\n  - name: x\n    type: mqtt\n    url: tcp://h:1\n    topic_prefix: a/#\n")
                .getMessage())
        .contains("topic_prefix must be a topic without wildcards");
    assertThat(
            invalid("channels:\n  - name: x\n    type: email\n    host: h\n    from: a@b\n")
                .getMessage())
        .contains("'x': to must list at least one e-mail address");
    assertThat(
            invalid(
                    "channels:\n  - name: x\n    type: open311\n    endpoint: https://w/v2\n    api_key_env: KERBSIDE_OPEN311_KEY\n")
                .getMessage())
        .contains("service_codes or default_service_code must be given");
    assertThat(
            invalid(
                    "channels:\n  - name: x\n    type: webhook\n    url: https://a/b\n    secret_env: KERBSIDE_WEBHOOK_CREW_SECRET\n    timeout_ms: 0\n")
                .getMessage())
        .contains("timeout_ms must be between 100 and 120000, got 0");
    assertThat(invalid("channels: [").getMessage()).startsWith("routes.yaml: not valid YAML");
  }

  @Test
  void deliverySettingsHaveDefaultsAndBounds() {
    DeliveryConfig c = DeliveryConfig.from(Settings.from(Map.of()));
    assertThat(c.maxAttempts()).isEqualTo(10);
    assertThat(c.initialDelayMs()).isEqualTo(5_000);
    assertThat(c.maxDelayMs()).isEqualTo(600_000);
    assertThatThrownBy(
            () ->
                DeliveryConfig.from(
                    Settings.from(
                        Map.of(
                            DeliveryConfig.INITIAL_DELAY,
                            "10000",
                            DeliveryConfig.MAX_DELAY,
                            "5000"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(DeliveryConfig.MAX_DELAY);
    assertThatThrownBy(
            () -> DeliveryConfig.from(Settings.from(Map.of(DeliveryConfig.MAX_ATTEMPTS, "0"))))
        .hasMessage("KERBSIDE_ANALYTICS_DELIVERY_MAX_ATTEMPTS must be between 1 and 1000, got 0");
  }

  @Test
  void anMqttChannelTakesBrokerTlsFilesOnlyWithAnEncryptedUrl() {
    String yaml =
        "channels:\n"
            + "  - name: town-broker\n"
            + "    type: mqtt\n"
            + "    url: tcp://127.0.0.1:1883\n"
            + "    ca_file: /etc/ssl/certs/ca-certificates.crt\n";
    assertThat(invalid(yaml).getMessage())
        .endsWith(
            "channels[0] 'town-broker': ca_file, client_cert and client_key need an ssl:// or wss://"
                + " url");
    assertThat(
            invalid(
                    yaml.replace("tcp://", "ssl://")
                        .replace("/etc/ssl/certs/ca-certificates.crt", "/nonexistent/ca.pem"))
                .getMessage())
        .endsWith(
            "channels[0] 'town-broker': ca_file names a file that does not exist: /nonexistent/ca.pem");
  }

  @Test
  void productionRefusesAnUnencryptedAlertBrokerOnAnotherMachine() {
    String yaml =
        "channels:\n"
            + "  - name: town-broker\n"
            + "    type: mqtt\n"
            + "    url: tcp://mqtt.example:1883\n";
    Map<String, String> production = new java.util.HashMap<>(ENV);
    production.put("KERBSIDE_ENV", "production");
    assertThatThrownBy(() -> RoutesConfig.parse(yaml, "routes.yaml", Settings.from(production)))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith(
            "channels[0] 'town-broker': url must be ssl:// (or wss://) for the broker host"
                + " 'mqtt.example' when KERBSIDE_ENV=production, got 'tcp://mqtt.example:1883';"
                + " set KERBSIDE_ALLOW_PLAINTEXT=true to allow it unencrypted");
    production.put("KERBSIDE_ALLOW_PLAINTEXT", "true");
    assertThat(
            RoutesConfig.parse(yaml, "routes.yaml", Settings.from(production))
                .channel("town-broker"))
        .isPresent();
    assertThat(
            RoutesConfig.parse(yaml.replace("tcp://", "ssl://"), "routes.yaml", Settings.from(ENV))
                .channel("town-broker"))
        .isPresent();
  }
}
