package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.DataSources;
import io.kerbside.core.db.Migrations;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Creates or upgrades the database schema (kerbside) and the least-privilege roles.",
      "Uses KERBSIDE_DB_URL, KERBSIDE_DB_USER, KERBSIDE_DB_PASSWORD and KERBSIDE_DB_STORAGE."
    })
final class MigrateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    DatabaseConfig db = DatabaseConfig.from(Settings.fromEnvironment());
    try (HikariDataSource ds = DataSources.open(db, "migrate", null)) {
      String version = Migrations.migrate(ds, db);
      System.out.println("schema kerbside is at version " + version);
    }
    return 0;
  }
}
