package io.kerbside.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.testing.TestServices;
import org.junit.jupiter.api.Test;

/** The ingest contract on plain PostgreSQL (native daily partitions). */
class PostgresIngestIT extends IngestContractIT {
  @Override
  TestServices.Db cluster() {
    return TestServices.Db.POSTGRES;
  }

  @Test
  void storesReadingsInDailyPartitions() throws Exception {
    assertThat(db.count("SELECT count(*) FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'reading'"))
        .isEqualTo(1);
    assertThat(db.count("SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'reading'"))
        .isGreaterThanOrEqualTo(4);
  }
}
