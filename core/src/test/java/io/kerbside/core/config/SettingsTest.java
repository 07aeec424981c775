package io.kerbside.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @Test
  void environmentOverridesTheConfigFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kerbside.properties");
    Files.writeString(file, "KERBSIDE_DB_USER=from_file\nKERBSIDE_DB_POOL_SIZE=7\n");
    Settings s =
        Settings.from(
            Map.of("KERBSIDE_CONFIG_FILE", file.toString(), "KERBSIDE_DB_USER", "from_env"));
    DatabaseConfig db = DatabaseConfig.from(s);
    assertThat(db.user()).isEqualTo("from_env");
    assertThat(db.poolSize()).isEqualTo(7);
  }

  @Test
  void namesAnUnreadableConfigFile() {
    assertThatThrownBy(
            () -> Settings.from(Map.of("KERBSIDE_CONFIG_FILE", "/nonexistent/k.properties")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("KERBSIDE_CONFIG_FILE");
  }

  @Test
  void masksTheDatabasePassword() {
    DatabaseConfig db = DatabaseConfig.from(Settings.from(Map.of("KERBSIDE_DB_PASSWORD", "pa55")));
    assertThat(db.toString()).doesNotContain("pa55").contains("password=<masked>");
  }

  @Test
  void productionRequiresADatabasePassword() {
    assertThatThrownBy(
            () -> DatabaseConfig.from(Settings.from(Map.of("KERBSIDE_ENV", "production"))))
        .hasMessage("KERBSIDE_DB_PASSWORD must be set when KERBSIDE_ENV=production");
  }

  @Test
  void validatesChoicesAndUrls() {
    assertThatThrownBy(
            () -> DatabaseConfig.from(Settings.from(Map.of("KERBSIDE_DB_STORAGE", "mongo"))))
        .hasMessage("KERBSIDE_DB_STORAGE must be one of auto, timescaledb, postgres, got 'mongo'");
    assertThatThrownBy(
            () -> DatabaseConfig.from(Settings.from(Map.of("KERBSIDE_DB_URL", "postgres://x"))))
        .hasMessageStartingWith("KERBSIDE_DB_URL must be a jdbc:postgresql: URL");
    assertThatThrownBy(
            () ->
                Settings.from(Map.of("KERBSIDE_DB_MIGRATE", "maybe"))
                    .bool("KERBSIDE_DB_MIGRATE", false))
        .hasMessage("KERBSIDE_DB_MIGRATE must be true or false, got 'maybe'");
  }
}
