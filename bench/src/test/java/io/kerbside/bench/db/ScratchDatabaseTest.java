package io.kerbside.bench.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScratchDatabaseTest {
  @Test
  void pointsTheAdminUrlAtTheScratchDatabaseKeepingItsParameters() {
    assertThat(
            ScratchDatabase.withDatabase(
                "jdbc:postgresql://127.0.0.1:54317/postgres", "kerbside_bench_1"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:54317/kerbside_bench_1");
    assertThat(
            ScratchDatabase.withDatabase(
                "jdbc:postgresql://db.example:5432/admin?sslmode=require", "kerbside_bench_1"))
        .isEqualTo("jdbc:postgresql://db.example:5432/kerbside_bench_1?sslmode=require");
    assertThat(ScratchDatabase.withDatabase("jdbc:postgresql://localhost", "x"))
        .isEqualTo("jdbc:postgresql://localhost/x");
  }

  @Test
  void refusesAUrlThatIsNotPostgresql() {
    assertThatThrownBy(() -> ScratchDatabase.withDatabase("jdbc:mysql://h/db", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jdbc:postgresql://");
  }
}
