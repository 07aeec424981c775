#!/usr/bin/env bash
# Runs the ingest benchmark (io.kerbside.bench.IngestBenchmark, module bench) on this
# machine: builds the distribution, starts the test services if they are not running,
# then runs the benchmark with the given options. What the figures mean: docs/benchmarks.md.
#
# Usage: scripts/bench.sh [analytics] [benchmark options]
#   scripts/bench.sh                                    full run, 1,000,000 readings (minutes)
#   scripts/bench.sh analytics                          analytics at 1,000/10,000/100,000 devices
#   scripts/bench.sh analytics --sizes 1000,10000       quick analytics run
#   scripts/bench.sh --readings 200000 --devices 2000   quick run
#   scripts/bench.sh --help                             every option
#
# Settings (environment):
#   KERBSIDE_BENCH_SKIP_BUILD=1     use the modules already installed by mvn install
#   KERBSIDE_BENCH_SKIP_SERVICES=1  leave the test services alone (e.g. with --mqtt-url/--db-url)
#   KERBSIDE_BENCH_JAVA_OPTS        JVM options of the benchmark process itself
#   PGPASSWORD                      password of --db-user, when the cluster asks for one
#
# Exit code: the benchmark's; 0 when it ran (whatever the figures), 2 when it failed.
set -euo pipefail

main=io.kerbside.bench.IngestBenchmark
if [ "${1:-}" = analytics ]; then
    main=io.kerbside.bench.AnalyticsBenchmark
    shift
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${KERBSIDE_BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "bench.sh: building (mvn install, tests skipped)" >&2
    mvn -B -q -ntp -DskipTests install
fi

if [ "${KERBSIDE_BENCH_SKIP_SERVICES:-0}" != 1 ] && [ -f scripts/services.sh ]; then
    if ! bash scripts/services.sh status >/dev/null 2>&1; then
        echo "bench.sh: starting the test services" >&2
        bash scripts/services.sh up >&2
    fi
fi

classpath_file="$PWD/bench/target/bench.classpath"
mvn -B -q -ntp -pl bench dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime

# Run from a private copy of the classes and jars: a build started meanwhile (mvn install
# rewrites the jars in ~/.m2 and bench/target/classes) must not change them under the JVM.
run_dir="$(mktemp -d "$PWD/bench/target/run.XXXXXX")"
trap 'rm -rf "$run_dir"' EXIT
cp -r bench/target/classes "$run_dir/classes"
mkdir "$run_dir/lib"
classpath="$run_dir/classes"
i=0
# The file has no final newline, so read reports end of input; the jars are read all the same.
IFS=: read -r -a jars <"$classpath_file" || [ "${#jars[@]}" -gt 0 ]
for jar in "${jars[@]}"; do
    i=$((i + 1))
    cp "$jar" "$run_dir/lib/$i-$(basename "$jar")"
    classpath="$classpath:$run_dir/lib/$i-$(basename "$jar")"
done

# shellcheck disable=SC2086 # KERBSIDE_BENCH_JAVA_OPTS holds several options
java ${KERBSIDE_BENCH_JAVA_OPTS:-} -cp "$classpath" "$main" "$@"
