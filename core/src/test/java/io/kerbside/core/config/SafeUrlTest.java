package io.kerbside.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeUrlTest {
  @Test
  void masksAPasswordInTheUserInformation() {
    assertThat(SafeUrl.of("tcp://kerbside:s3cret@broker.example:1883"))
        .isEqualTo("tcp://kerbside:<masked>@broker.example:1883");
    assertThat(SafeUrl.of("ssl://u:p%40ss@h:8883/")).isEqualTo("ssl://u:<masked>@h:8883/");
  }

  @Test
  void masksPasswordParametersWhateverTheirCase() {
    assertThat(
            SafeUrl.of(
                "jdbc:postgresql://db:5432/kerbside?user=k&Password=s3cret&sslmode=require"
                    + "&sslpassword=x"))
        .isEqualTo(
            "jdbc:postgresql://db:5432/kerbside?user=k&Password=<masked>&sslmode=require"
                + "&sslpassword=<masked>")
        .doesNotContain("s3cret");
  }

  @Test
  void leavesAUrlWithoutSecretsAlone() {
    String url = "jdbc:postgresql://127.0.0.1:5432/postgres?sslmode=verify-full";
    assertThat(SafeUrl.of(url)).isEqualTo(url);
    assertThat(SafeUrl.of("tcp://user@host:1883")).isEqualTo("tcp://user@host:1883");
    assertThat(SafeUrl.of(null)).isNull();
  }

  @Test
  void theDatabaseSettingsNeverPrintAPasswordWrittenInTheUrl() {
    DatabaseConfig db =
        DatabaseConfig.from(
            Settings.from(
                java.util.Map.of(
                    DatabaseConfig.URL,
                    "jdbc:postgresql://db/k?password=s3cret",
                    DatabaseConfig.PASSWORD,
                    "other-secret")));
    assertThat(db.toString()).doesNotContain("s3cret").doesNotContain("other-secret");
  }
}
