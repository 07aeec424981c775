package io.kerbside.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.alerts.Alert;
import io.kerbside.analytics.alerts.AlertActionException;
import io.kerbside.analytics.alerts.AlertFilter;
import io.kerbside.analytics.alerts.AlertQueries;
import io.kerbside.analytics.alerts.PeopleSteps;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.Councils;
import io.kerbside.core.db.DataSources;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "alerts",
    mixinStandardHelpOptions = true,
    description = "Lists maintenance alerts and acts on them from a terminal.",
    subcommands = {
      AlertsCommand.ListAlerts.class,
      AlertsCommand.Ack.class,
      AlertsCommand.Resolve.class,
      AlertsCommand.Assign.class,
      AlertsCommand.Note.class
    })
final class AlertsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every alerts subcommand shares. */
  static class Common {
    @Option(
        names = "--council",
        defaultValue = "default",
        description = "The council's slug. Default: ${DEFAULT-VALUE}")
    String council;

    interface Work<T> {
      T run(AlertQueries queries, PeopleSteps steps, CouncilRef council) throws Exception;
    }

    <T> T withStore(Work<T> work) throws Exception {
      DatabaseConfig db = DatabaseConfig.from(Settings.fromEnvironment());
      try (HikariDataSource ds = DataSources.open(db, "alerts-cli", null)) {
        CouncilRef ref =
            new Councils(ds)
                .find(council)
                .orElseThrow(() -> new ConfigException("no council '" + council + "'"));
        return work.run(new AlertQueries(ds), new PeopleSteps(ds, Clock.systemUTC()), ref);
      }
    }
  }

  /** Options of the subcommands that act: who acts, and their note. */
  static class Acting extends Common {
    @Parameters(index = "0", description = "The alert's id")
    long id;

    @Option(names = "--note", description = "A note for the alert's history")
    String note;

    @Option(
        names = "--by",
        description =
            "Who acts, recorded in the history as cli:<NAME> (at most 100 printable characters)."
                + " Default: the login name")
    String by;

    interface Step {
      Alert run(PeopleSteps steps, CouncilRef council, String actor) throws Exception;
    }

    int act(Step step) throws Exception {
      String actor = actor(by, System.getProperty("user.name"));
      try {
        Alert a = withStore((queries, steps, ref) -> step.run(steps, ref, actor));
        System.out.println(line(a));
        return 0;
      } catch (AlertActionException e) {
        System.err.println("kerbside: " + e.getMessage());
        return e.reason() == AlertActionException.Reason.NOT_FOUND ? 4 : 5;
      }
    }
  }

  /** The longest name {@code --by} takes, in characters. */
  static final int MAX_NAME_CHARS = 100;

  /**
   * The actor recorded for a step taken at a terminal: always {@code cli:<name>}, so that a person
   * can never be recorded as Kerbside itself (whose resolutions the lifecycle re-opens by itself)
   * or as an API key. {@code by} is the {@code --by} option (a leading {@code cli:} is taken as
   * already said); without it, the login name, or {@code unknown} when that is not a usable name.
   *
   * @throws ConfigException when {@code --by} is empty, longer than {@value #MAX_NAME_CHARS}
   *     characters or not printable (control, format or line-separating characters, NUL)
   */
  static String actor(String by, String login) {
    if (by == null) {
      return "cli:"
          + Optional.ofNullable(login).flatMap(AlertsCommand::checkName).orElse("unknown");
    }
    String name =
        checkName(by)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "--by must be a name of 1 to "
                            + MAX_NAME_CHARS
                            + " printable characters, got "
                            + (by.isBlank() ? "an empty one" : "'" + printable(by) + "'")));
    return "cli:" + name;
  }

  private static Optional<String> checkName(String raw) {
    String name = raw.strip();
    if (name.startsWith("cli:")) {
      name = name.substring("cli:".length()).strip();
    }
    if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_CHARS) {
      return Optional.empty();
    }
    boolean printable = name.codePoints().allMatch(AlertsCommand::isPrintable);
    return printable ? Optional.of(name) : Optional.empty();
  }

  private static boolean isPrintable(int cp) {
    if (Character.isISOControl(cp)) {
      return false;
    }
    int type = Character.getType(cp);
    return type != Character.FORMAT
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.UNASSIGNED;
  }

  /** {@code s} for an error message: unprintable characters as {@code U+XXXX}, at most 120. */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .limit(120)
        .forEach(
            cp -> {
              if (isPrintable(cp)) {
                b.appendCodePoint(cp);
              } else {
                b.append(String.format(Locale.ROOT, "U+%04X", cp));
              }
            });
    return b.toString();
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists alerts, newest first (active ones unless --status says otherwise).")
  static final class ListAlerts extends Common implements Callable<Integer> {
    @Option(
        names = "--status",
        defaultValue = "active",
        description = "active, open, acknowledged or resolved. Default: ${DEFAULT-VALUE}")
    String status;

    @Option(names = "--kind", description = "bin, streetlight or pavement")
    String kind;

    @Option(names = "--rule", description = "A rule's code, e.g. bin-full")
    String rule;

    @Option(names = "--ward", description = "A ward's name")
    String ward;

    @Option(names = "--severity", description = "critical, major, minor or warning")
    String severity;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "At most this many. Default: ${DEFAULT-VALUE}")
    int limit;

    @Override
    public Integer call() throws Exception {
      AlertFilter filter =
          new AlertFilter(
              Optional.of(status),
              Optional.ofNullable(kind),
              Optional.ofNullable(rule),
              Optional.ofNullable(ward),
              Optional.ofNullable(severity),
              Optional.empty(),
              Optional.empty());
      AlertQueries.Listing listing =
          withStore((queries, steps, ref) -> queries.list(ref, filter, Math.max(1, limit), 0));
      System.out.printf(
          Locale.ROOT,
          "%-7s %-9s %-13s %-22s %-16s %-12s %-17s %-9s %s%n",
          "ID",
          "SEVERITY",
          "STATUS",
          "RULE",
          "ASSET/DEVICE",
          "WARD",
          "SINCE (UTC)",
          "LASTED",
          "SUMMARY");
      for (Alert a : listing.items()) {
        System.out.println(line(a));
      }
      System.out.printf(Locale.ROOT, "%d of %d alerts%n", listing.items().size(), listing.total());
      return 0;
    }
  }

  @Command(name = "ack", mixinStandardHelpOptions = true, description = "Acknowledges an alert.")
  static final class Ack extends Acting implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return act((store, ref, actor) -> store.acknowledge(ref, id, actor, note));
    }
  }

  @Command(
      name = "resolve",
      mixinStandardHelpOptions = true,
      description = "Resolves an alert by hand.")
  static final class Resolve extends Acting implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return act((store, ref, actor) -> store.resolveByPerson(ref, id, actor, note));
    }
  }

  @Command(
      name = "assign",
      mixinStandardHelpOptions = true,
      description = "Assigns an alert to a person or team.")
  static final class Assign extends Acting implements Callable<Integer> {
    @Option(names = "--to", required = true, description = "Assignee (empty to unassign)")
    String to;

    @Override
    public Integer call() throws Exception {
      return act((store, ref, actor) -> store.assign(ref, id, actor, to));
    }
  }

  @Command(
      name = "note",
      mixinStandardHelpOptions = true,
      description = "Adds a note (--note) to an alert's history.")
  static final class Note extends Acting implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return act((store, ref, actor) -> store.note(ref, id, actor, note));
    }
  }

  static String line(Alert a) {
    String where = a.assetRef() != null ? a.assetRef() : a.deviceId();
    return String.format(
        Locale.ROOT,
        "%-7d %-9s %-13s %-22s %-16s %-12s %-17s %-9s %s",
        a.id(),
        a.severity(),
        a.status().code(),
        a.rule(),
        where,
        a.ward() == null ? "-" : a.ward(),
        SINCE.format(a.observedAt()),
        a.conditionDuration().map(AlertsCommand::lasted).orElse("-"),
        a.summary());
  }

  private static final java.time.format.DateTimeFormatter SINCE =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
          .withZone(java.time.ZoneOffset.UTC);

  /** A condition's duration as {@code 2h05m} or {@code 3d04h}. */
  static String lasted(java.time.Duration d) {
    long minutes = Math.max(0, d.toMinutes());
    return minutes >= 24 * 60
        ? String.format(Locale.ROOT, "%dd%02dh", minutes / (24 * 60), minutes / 60 % 24)
        : String.format(Locale.ROOT, "%dh%02dm", minutes / 60, minutes % 60);
  }
}
