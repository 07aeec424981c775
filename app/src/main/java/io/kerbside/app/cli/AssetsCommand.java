package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.registry.AssetFormat;
import io.kerbside.registry.AssetRegistry;
import io.kerbside.registry.ImportReport;
import io.kerbside.registry.parse.MalformedAssetListException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "assets",
    mixinStandardHelpOptions = true,
    description = "Imports and exports a council's asset list (CSV or GeoJSON).",
    subcommands = {AssetsCommand.Import.class, AssetsCommand.Export.class})
final class AssetsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static CouncilRef council(DataSource ds, String slug) throws SQLException {
    return new Councils(ds)
        .find(slug)
        .orElseThrow(
            () ->
                new ConfigException(
                    "no council '" + slug + "'; add it with: kerbside councils add SLUG NAME"));
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Validates an asset list and upserts its good records by asset_ref; bad records are",
        "listed with the reason. Importing the same file again changes nothing.",
        "Exit code 0 when every record was stored, 1 when some were rejected."
      })
  static final class Import implements Callable<Integer> {
    @Parameters(index = "0", description = "A .csv, .geojson or .json file")
    Path file;

    @Option(
        names = "--council",
        defaultValue = "default",
        description = "Council slug (${DEFAULT-VALUE})")
    String council;

    @Option(names = "--format", description = "csv or geojson; by default from the file name")
    String format;

    @Override
    public Integer call() throws Exception {
      AssetFormat fmt = format(format, file);
      DatabaseConfig db = DatabaseConfig.from(Settings.fromEnvironment());
      try (HikariDataSource ds = DataSources.open(db, "admin", null);
          Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        CouncilRef ref = council(ds, council);
        ImportReport report = new AssetRegistry(ds).importList(ref, fmt, in);
        System.out.printf(
            "council %s: %d assets added, %d updated, %d devices attached, %d records rejected%n",
            ref.slug(),
            report.inserted(),
            report.updated(),
            report.devicesAttached(),
            report.rejected().size());
        for (ImportReport.Rejection r : report.rejected()) {
          System.out.printf(
              "rejected %s%s: %s%n",
              r.position(), r.assetRef() == null ? "" : " (" + r.assetRef() + ")", r.reason());
        }
        return report.rejected().isEmpty() ? 0 : 1;
      } catch (NoSuchFileException e) {
        throw new ConfigException("no file " + file);
      } catch (MalformedAssetListException e) {
        System.err.println("kerbside: " + file + ": " + e.getMessage() + "; nothing imported");
        return 2;
      }
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = "Writes a council's assets, one record per attached device, as CSV or GeoJSON.")
  static final class Export implements Callable<Integer> {
    @Option(
        names = "--council",
        defaultValue = "default",
        description = "Council slug (${DEFAULT-VALUE})")
    String council;

    @Option(
        names = "--format",
        description = "csv or geojson; by default from --output's name, else csv")
    String format;

    @Option(
        names = {"-o", "--output"},
        description = "File to write; standard output by default")
    Path output;

    @Override
    public Integer call() throws Exception {
      AssetFormat fmt = format != null || output != null ? format(format, output) : AssetFormat.CSV;
      DatabaseConfig db = DatabaseConfig.from(Settings.fromEnvironment());
      try (HikariDataSource ds = DataSources.open(db, "admin", null)) {
        CouncilRef ref = council(ds, council);
        AssetRegistry registry = new AssetRegistry(ds);
        if (output == null) {
          Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
          registry.exportList(ref, fmt, out);
          out.flush();
        } else {
          try (Writer out = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            int n = registry.exportList(ref, fmt, out);
            System.err.println(n + " records written to " + output);
          }
        }
      }
      return 0;
    }
  }

  private static AssetFormat format(String code, Path file) {
    if (code != null) {
      return AssetFormat.fromCode(code)
          .orElseThrow(
              () -> new ConfigException("--format must be csv or geojson, got '" + code + "'"));
    }
    return AssetFormat.ofFile(file)
        .orElseThrow(
            () ->
                new ConfigException(
                    "cannot tell the format of "
                        + file.getFileName()
                        + "; name it .csv or .geojson, or pass --format"));
  }
}
