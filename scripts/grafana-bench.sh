#!/usr/bin/env bash
# Grafana panel latency (io.kerbside.grafana.PanelLatencyBench, test sources of grafana-tests):
# loads 30 days x 10,000 devices of readings generated in SQL into a fresh database of the test
# TimescaleDB (or PostgreSQL with --db pg), refreshes the rollups, then runs every SQL panel of
# grafana/dashboards as the read-only Grafana role, with the rollups and without them, and prints
# p50/p95. The database is dropped at the end. What the figures mean: docs/benchmarks.md.
#
# Usage: scripts/grafana-bench.sh [options]
#   scripts/grafana-bench.sh                                full run (about 12 minutes on 2 cores)
#   scripts/grafana-bench.sh --devices 2000 --days 7        quick run
#   scripts/grafana-bench.sh --db pg                        plain PostgreSQL instead of TimescaleDB
#   scripts/grafana-bench.sh --help                         every option
#
# Settings (environment):
#   KERBSIDE_BENCH_SKIP_SERVICES=1  leave the test services alone
#   KERBSIDE_BENCH_JAVA_OPTS        JVM options of the benchmark process
#   MAVEN_ARGS                      extra Maven options for the build, e.g. -o
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${KERBSIDE_BENCH_SKIP_SERVICES:-0}" != 1 ] && ! bash scripts/services.sh status >/dev/null 2>&1; then
    echo "grafana-bench.sh: starting the test services" >&2
    bash scripts/services.sh up >&2
fi

classpath_file="$PWD/grafana-tests/target/bench.classpath"
echo "grafana-bench.sh: building grafana-tests and what it needs (no tests run)" >&2
mvn -B -q -ntp -pl grafana-tests -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test >&2

# shellcheck disable=SC2086 # KERBSIDE_BENCH_JAVA_OPTS holds several options
exec java ${KERBSIDE_BENCH_JAVA_OPTS:-} -cp "$PWD/grafana-tests/target/test-classes:$(cat "$classpath_file")" \
    io.kerbside.grafana.PanelLatencyBench "$@"
