#!/usr/bin/env bash
# The collection evaluation (io.kerbside.bench.CollectionEvaluation, module bench): the same
# seeded town of bins for a week, (a) emptied by its fixed rounds, (b) emptied as Kerbside plans
# each day from what the sensors reported through MQTT into a real ingest and the database; then
# one table of lifts, route km, bin-hours over 100 %, worst fill and planning time.
# What the figures mean: docs/planning.md#the-collection-evaluation.
#
# Usage: scripts/collection-eval.sh [options]
#   scripts/collection-eval.sh                 300 bins, seed 42, the week from Mon 2026-11-02
#   scripts/collection-eval.sh --bins 2000
#   scripts/collection-eval.sh --help          every option
#
# Settings (environment):
#   KERBSIDE_BENCH_SKIP_BUILD=1     use the modules already installed by mvn install
#   KERBSIDE_BENCH_SKIP_SERVICES=1  leave the test services alone (e.g. with --mqtt-url/--db-url)
#   KERBSIDE_BENCH_JAVA_OPTS        JVM options of the evaluation process itself
#   PGPASSWORD                      password of --db-user, when the cluster asks for one
#
# The broker and the database default to the test services' (scripts/services.sh env).
# Exit code: 0 when it ran, whatever the figures; non-zero when a step failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${KERBSIDE_BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "collection-eval.sh: building (mvn install, tests skipped)" >&2
    mvn -B -q -ntp -DskipTests install
fi

if [ "${KERBSIDE_BENCH_SKIP_SERVICES:-0}" != 1 ] && [ -f scripts/services.sh ]; then
    if ! bash scripts/services.sh status >/dev/null 2>&1; then
        echo "collection-eval.sh: starting the test services" >&2
        bash scripts/services.sh up >&2
    fi
    eval "$(bash scripts/services.sh env)"
fi
defaults=(--db-url "${KERBSIDE_TEST_TSDB_URL:-jdbc:postgresql://127.0.0.1:54317/postgres}"
    --mqtt-url "${KERBSIDE_TEST_MQTT_URL:-tcp://127.0.0.1:1883}")

classpath_file="$PWD/bench/target/bench.classpath"
mvn -B -q -ntp -o -pl bench dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime ||
    mvn -B -q -ntp -pl bench dependency:build-classpath \
        -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime

# Run from a private copy of the classes and jars, so that a build meanwhile cannot change them.
run_dir="$(mktemp -d "$PWD/bench/target/run.XXXXXX")"
trap 'rm -rf "$run_dir"' EXIT
cp -r bench/target/classes "$run_dir/classes"
mkdir "$run_dir/lib"
classpath="$run_dir/classes"
i=0
IFS=: read -r -a jars <"$classpath_file" || [ "${#jars[@]}" -gt 0 ]
for jar in "${jars[@]}"; do
    i=$((i + 1))
    cp "$jar" "$run_dir/lib/$i-$(basename "$jar")"
    classpath="$classpath:$run_dir/lib/$i-$(basename "$jar")"
done

# Options given later win (picocli), so the caller's --db-url or --mqtt-url replace the defaults.
# shellcheck disable=SC2086 # KERBSIDE_BENCH_JAVA_OPTS holds several options
java ${KERBSIDE_BENCH_JAVA_OPTS:-} -cp "$classpath" io.kerbside.bench.CollectionEvaluation \
    "${defaults[@]}" "$@"
