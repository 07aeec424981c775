package io.kerbside.bench.report;

/** How a measured figure compares with its target. */
public enum Verdict {
  PASS,
  MISS,
  /** The figure was not measured in this run (for example, references skipped). */
  NOT_MEASURED;

  public static Verdict of(boolean pass) {
    return pass ? PASS : MISS;
  }

  String label() {
    return this == NOT_MEASURED ? "n/a" : name();
  }
}
