#!/usr/bin/env bash
# Runs the ingest benchmark (io.kerbside.bench.IngestBenchmark, module bench) on this
# machine: builds the distribution, starts the test services if they are not running,
# then runs the benchmark with the given options. What the figures mean: docs/benchmarks.md.
#
# Usage: scripts/bench.sh [analytics|planning] [benchmark options]
#   scripts/bench.sh                                    full run, 1,000,000 readings (minutes)
#   scripts/bench.sh analytics                          analytics at 1,000/10,000/100,000 devices
#   scripts/bench.sh analytics --sizes 1000,10000       quick analytics run
#   scripts/bench.sh planning                           collection planning, 2,000 bins, 5 vehicles
#   scripts/bench.sh planning --bins 300 --vehicles 2   (docs/planning.md)
#   scripts/bench.sh --readings 100000 --devices 2000 --repeat 3 --latency-seconds 10 \
#       --naive-readings 5000 --node-red-readings 20000  quick run (a few minutes)
#   scripts/bench.sh --connections 1 --skip-node-red    one connection count, no Node-RED
#   scripts/bench.sh --help                             every option
#
# Reference (c), Node-RED, needs node and npm on PATH: the script installs the exact versions
# of bench/node-red/package.json (package-lock.json) with npm ci into
# ~/.cache/kerbside-bench/node-red (once; again when the lock file changes). Without node or npm,
# or when the install fails, the benchmark reports (c) as skipped and why.
#
# Settings (environment):
#   KERBSIDE_BENCH_SKIP_BUILD=1     use the modules already installed by mvn install
#   KERBSIDE_BENCH_SKIP_SERVICES=1  leave the test services alone (e.g. with --mqtt-url/--db-url)
#   KERBSIDE_BENCH_JAVA_OPTS        JVM options of the benchmark process itself
#   KERBSIDE_BENCH_NODE_RED_HOME    where Node-RED is installed (default ~/.cache/kerbside-bench/node-red)
#   PGPASSWORD                      password of --db-user, when the cluster asks for one
#
# Exit code: the benchmark's; 0 when it ran (whatever the figures), 2 when it failed.
set -euo pipefail

main=io.kerbside.bench.IngestBenchmark
if [ "${1:-}" = analytics ]; then
    main=io.kerbside.bench.AnalyticsBenchmark
    shift
elif [ "${1:-}" = planning ]; then
    # collection planning needs no services: selection and routing of a synthetic town
    main=io.kerbside.bench.PlanningBenchmark
    export KERBSIDE_BENCH_SKIP_SERVICES=1
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

# Reference (c): install Node-RED unless it is not wanted or cannot run.
install_node_red() {
    local home="$1" want=1 arg
    for arg in "$@"; do
        case "$arg" in --skip-node-red | --skip-references | -h | --help) want=0 ;; esac
    done
    [ "$want" = 1 ] || return 0
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        echo "bench.sh: node or npm is not on PATH; the Node-RED reference (c) will be skipped" >&2
        return 0
    fi
    if [ -f "$home/node_modules/node-red/red.js" ] &&
        cmp -s bench/node-red/package-lock.json "$home/package-lock.json"; then
        return 0
    fi
    echo "bench.sh: installing Node-RED into $home (npm ci)" >&2
    mkdir -p "$home"
    cp bench/node-red/package.json bench/node-red/package-lock.json "$home/"
    if ! (cd "$home" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >&2); then
        echo "bench.sh: npm ci failed; the Node-RED reference (c) will be skipped" >&2
        rm -rf "$home/node_modules"
    fi
}
node_red_home="${KERBSIDE_BENCH_NODE_RED_HOME:-$HOME/.cache/kerbside-bench/node-red}"
if [ "$main" = io.kerbside.bench.IngestBenchmark ]; then
    case " $* " in
    *" --node-red-home"*) ;;
    *)
        install_node_red "$node_red_home" "$@"
        set -- --node-red-home "$node_red_home" "$@"
        ;;
    esac
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
