package io.kerbside.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Production reaches a database on another machine only over verified TLS. */
class DatabaseTlsTest {
  private static DatabaseConfig production(String url, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("KERBSIDE_ENV", "production");
    env.put("KERBSIDE_DB_PASSWORD", "pa55");
    env.put("KERBSIDE_DB_URL", url);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return DatabaseConfig.from(Settings.from(env));
  }

  @Test
  void productionRefusesARemoteDatabaseWithoutVerifiedTls() {
    assertThatThrownBy(() -> production("jdbc:postgresql://db.example:5432/kerbside"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "KERBSIDE_DB_URL must carry sslmode=verify-full (or verify-ca) with"
                + " sslrootcert=<CA file> for the database host 'db.example' when"
                + " KERBSIDE_ENV=production, got sslmode=prefer")
        .hasMessageContaining("KERBSIDE_ALLOW_PLAINTEXT=true");
  }

  @Test
  void requireIsNotEnoughBecauseItTrustsAnyCertificate() {
    assertThatThrownBy(() -> production("jdbc:postgresql://10.0.0.5/kerbside?sslmode=require"))
        .hasMessageContaining("database host '10.0.0.5'")
        .hasMessageContaining("got sslmode=require");
  }

  @Test
  void acceptsVerifyFullAndVerifyCa() {
    assertThat(
            production(
                    "jdbc:postgresql://db.example/kerbside?sslmode=verify-full&sslrootcert=/etc/ca.pem")
                .url())
        .contains("verify-full");
    production("jdbc:postgresql://db.example/kerbside?sslrootcert=/etc/ca.pem&sslmode=verify-ca");
    // PgJDBC verifies the full certificate when ssl=true is given without sslmode
    production("jdbc:postgresql://db.example/kerbside?ssl=true");
  }

  @Test
  void everyHostOfAMultiHostUrlCounts() {
    assertThatThrownBy(
            () -> production("jdbc:postgresql://127.0.0.1:5432,db2.example:5432/kerbside"))
        .hasMessageContaining("database host 'db2.example'");
    assertThat(DatabaseConfig.hosts("jdbc:postgresql://[::1]:5740,h2/db?x=1"))
        .containsExactly("[::1]", "h2");
    assertThat(DatabaseConfig.hosts("jdbc:postgresql:kerbside")).containsExactly("localhost");
  }

  @Test
  void loopbackAndDevelopmentNeedNoTls() {
    production("jdbc:postgresql://127.0.0.1:5432/kerbside");
    production("jdbc:postgresql://localhost/kerbside");
    production("jdbc:postgresql://[::1]/kerbside");
    DatabaseConfig.from(
        Settings.from(Map.of("KERBSIDE_DB_URL", "jdbc:postgresql://db.example/kerbside")));
  }

  @Test
  void allowPlaintextLetsTheOperatorVouchForTheNetwork() {
    production(
        "jdbc:postgresql://db.example/kerbside?sslmode=disable",
        "KERBSIDE_ALLOW_PLAINTEXT",
        "true");
    assertThatThrownBy(
            () ->
                production(
                    "jdbc:postgresql://db.example/kerbside", "KERBSIDE_ALLOW_PLAINTEXT", "maybe"))
        .hasMessage("KERBSIDE_ALLOW_PLAINTEXT must be true or false, got 'maybe'");
  }
}
