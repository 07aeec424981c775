package io.kerbside.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kerbside.core.testing.TestServices;
import org.junit.jupiter.api.Test;

/** The ingest contract on TimescaleDB (hypertable). */
class TimescaleIngestIT extends IngestContractIT {
  @Override
  TestServices.Db cluster() {
    return TestServices.Db.TIMESCALEDB;
  }

  @Test
  void storesReadingsInAHypertable() throws Exception {
    assertThat(
            db.count(
                "SELECT count(*) FROM timescaledb_information.hypertables WHERE hypertable_name = 'reading'"))
        .isEqualTo(1);
  }
}
