package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import io.kerbside.worklists.Worklists;
import io.kerbside.worklists.WorklistsConfig;
import io.kerbside.worklists.csv.WorklistCsv;
import io.kerbside.worklists.store.WorklistRepository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kerbside worklist lamps|gritting|footways}: a day's work list as CSV. */
@Command(
    name = "worklist",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a council's work list for a day as CSV: lamps to visit, tonight's gritting list or"
          + " the footway defects.",
      "Settings: KERBSIDE_WORKLIST_* (docs/crew.md)."
    })
final class WorklistCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LIST", description = "lamps, gritting or footways")
  String list;

  @Option(
      names = "--council",
      defaultValue = "default",
      description = "The council's slug. Default: ${DEFAULT-VALUE}")
  String council;

  @Option(names = "--ward", description = "Only this ward")
  String ward;

  @Option(
      names = "--date",
      description = "The day (YYYY-MM-DD, in KERBSIDE_WORKLIST_ZONE); default: today, as of now")
  String date;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write to FILE instead of stdout")
  Path csv;

  @Override
  public Integer call() throws Exception {
    if (!list.equals("lamps") && !list.equals("gritting") && !list.equals("footways")) {
      throw new ConfigException("LIST must be lamps, gritting or footways, got '" + list + "'");
    }
    Settings settings = Settings.fromEnvironment();
    WorklistsConfig config = WorklistsConfig.from(settings);
    DatabaseConfig db = DatabaseConfig.from(settings);
    try (HikariDataSource ds = DataSources.open(db, "worklist-cli", null)) {
      CouncilRef ref =
          new Councils(ds)
              .find(council)
              .orElseThrow(() -> new ConfigException("no council '" + council + "'"));
      Worklists worklists = new Worklists(new WorklistRepository(ds), config, Clock.systemUTC());
      Optional<LocalDate> day = Optional.empty();
      if (date != null) {
        try {
          day = Optional.of(LocalDate.parse(date));
        } catch (DateTimeParseException e) {
          throw new ConfigException("--date must be a date like 2026-01-31, got '" + date + "'");
        }
        Optional<String> problem = worklists.problemWith(day.get());
        if (problem.isPresent()) {
          throw new ConfigException("--" + problem.get());
        }
      }
      Optional<String> w = Optional.ofNullable(ward).filter(s -> !s.isBlank()).map(String::strip);
      String text =
          switch (list) {
            case "lamps" -> WorklistCsv.lamps(worklists.lamps(ref, w, day));
            case "gritting" -> WorklistCsv.gritting(worklists.gritting(ref, w, day));
            default -> WorklistCsv.footways(worklists.footways(ref, w, day));
          };
      if (csv == null) {
        System.out.print(text);
      } else {
        Files.writeString(csv, text, StandardCharsets.UTF_8);
        System.err.println("kerbside: wrote " + (text.lines().count() - 1) + " rows to " + csv);
      }
      return 0;
    }
  }
}
