package io.kerbside.core.db;

import io.kerbside.core.config.DatabaseConfig;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates or upgrades Kerbside's schema ({@value #SCHEMA}) with Flyway. */
public final class Migrations {
  public static final String SCHEMA = "kerbside";
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * Applies every pending migration. Safe to run concurrently from several processes (Flyway takes
   * a database lock) and again on an up-to-date schema.
   *
   * @return the schema version after migrating
   */
  public static String migrate(DataSource dataSource, DatabaseConfig config) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .schemas(SCHEMA)
            .createSchemas(true)
            .locations("classpath:db/migration", "classpath:db/callback")
            .placeholders(java.util.Map.of("role_prefix", config.rolePrefix()))
            .javaMigrations(new ReadingTableMigration(config.storage()))
            .load();
    MigrateResult result = flyway.migrate();
    String version = flyway.info().current().getVersion().getVersion();
    try {
      TimescalePolicies.apply(dataSource, config.retentionDays(), config.compressAfterDays());
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot apply TimescaleDB policies: " + e.getMessage(), e);
    }
    LOG.info(
        "schema {} at version {} ({} migrations applied)",
        SCHEMA,
        version,
        result.migrationsExecuted);
    return version;
  }
}
