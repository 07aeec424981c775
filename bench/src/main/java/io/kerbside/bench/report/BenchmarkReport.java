package io.kerbside.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text report of a run: titled sections of label/value lines, warnings, and a table of
 * targets with their verdicts. Built up as the run goes; {@link #render()} lays it out.
 */
public final class BenchmarkReport {
  private static final int LABEL_WIDTH = 34;

  private final String title;
  private final List<Section> sections = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<String[]> targets = new ArrayList<>();

  private record Section(String title, List<String[]> lines) {}

  public BenchmarkReport(String title) {
    this.title = title;
  }

  /** Starts a new section; following {@link #line} calls go into it. */
  public BenchmarkReport section(String sectionTitle) {
    sections.add(new Section(sectionTitle, new ArrayList<>()));
    return this;
  }

  /** A label/value line; an empty label and value make a blank line. */
  public BenchmarkReport line(String label, String value) {
    if (sections.isEmpty()) {
      section("");
    }
    sections.get(sections.size() - 1).lines.add(new String[] {label, value});
    return this;
  }

  /** Something that makes a figure less trustworthy, shown above the targets. */
  public BenchmarkReport warning(String text) {
    warnings.add(text);
    return this;
  }

  public BenchmarkReport target(String target, String measured, Verdict verdict) {
    targets.add(new String[] {target, measured, verdict.label()});
    return this;
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(title).append('\n').append("=".repeat(title.length())).append('\n');
    for (Section s : sections) {
      sb.append('\n');
      if (!s.title.isEmpty()) {
        sb.append(s.title).append('\n');
      }
      for (String[] l : s.lines) {
        if (l[0].isEmpty() && l[1].isEmpty()) {
          sb.append('\n');
        } else {
          sb.append(String.format(Locale.ROOT, "  %-" + LABEL_WIDTH + "s %s%n", l[0], l[1]));
        }
      }
    }
    if (!warnings.isEmpty()) {
      sb.append("\nWarnings\n");
      for (String w : warnings) {
        sb.append("  ! ").append(w).append('\n');
      }
    }
    if (!targets.isEmpty()) {
      sb.append("\nTargets\n");
      int width = LABEL_WIDTH;
      for (String[] t : targets) {
        width = Math.max(width, t[0].length());
      }
      for (String[] t : targets) {
        sb.append(String.format(Locale.ROOT, "  %-" + width + "s %-22s %s%n", t[0], t[1], t[2]));
      }
    }
    return sb.toString();
  }
}
