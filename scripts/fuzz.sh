#!/usr/bin/env bash
# Fuzzes Kerbside's input parsers with Jazzer (coverage-guided, libFuzzer inside the JVM): each
# target in turn for the given time, then a line per target with what Jazzer reported. Needs only
# a JDK 17 and Maven; Jazzer comes from Maven Central as a test dependency. See docs/fuzzing.md.
#
# Usage: scripts/fuzz.sh [--time SECONDS] [TARGET...]
#   scripts/fuzz.sh                       every target, 60 s each
#   scripts/fuzz.sh --time 300 senml ttn  two targets, 5 minutes each
#   scripts/fuzz.sh --list                the targets and their fuzz tests
#
# Per target: executions, executions per second, coverage (cov: edges of Kerbside's code reached;
# ft: libFuzzer's finer features), the corpus and the slowest input (whole seconds), as Jazzer
# reports them, and any finding with the file its input was written to (under the target's
# src/test/resources/...Inputs/<method>/, where the build replays it as a regression test).
# Jazzer's full output: <module>/target/fuzz-<target>.log.
# Inputs worth keeping go to <module>/.cifuzz-corpus/ (not in git) and seed the next run.
#
# Settings (environment):
#   KERBSIDE_FUZZ_JAVA_OPTS   JVM options of the fuzzing process (default -Xmx2g)
#   KERBSIDE_FUZZ_SKIP_BUILD  1 to reuse the classes and class paths of the previous run
#
# Exit code: 0 when no target found anything, 1 when one did, 2 on a usage, build or run error.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# target  module  fuzz test class  method
TARGETS="
native      ingest     io.kerbside.ingest.decode.NativeDecoderFuzzTest          decodesOrRejectsEveryMessage
ttn         ingest     io.kerbside.ingest.decode.TtnUplinkDecoderFuzzTest       decodesOrRejectsEveryMessage
chirpstack  ingest     io.kerbside.ingest.decode.ChirpStackDecoderFuzzTest      decodesOrRejectsEveryMessage
senml       ingest     io.kerbside.ingest.decode.SenmlDecoderFuzzTest           decodesOrRejectsEveryMessage
profiles    ingest     io.kerbside.ingest.decode.DeviceProfilesFuzzTest         loadsOrRejectsEveryProfile
csv         registry   io.kerbside.registry.parse.CsvAssetListFuzzTest          readsOrRejectsEveryList
geojson     registry   io.kerbside.registry.parse.GeoJsonAssetListFuzzTest      readsOrRejectsEveryList
routes      analytics  io.kerbside.analytics.notify.RoutesConfigFuzzTest        loadsOrRejectsEveryRoutesFile
"

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
}

time_s=60
selected=()
while [ $# -gt 0 ]; do
    case "$1" in
        --time) [ $# -ge 2 ] || usage; time_s=$2; shift 2 ;;
        --time=*) time_s=${1#--time=}; shift ;;
        --list) echo "$TARGETS" | awk 'NF { printf "%-11s %s#%s (%s)\n", $1, $3, $4, $2 }'; exit 0 ;;
        -h|--help) usage ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; usage ;;
        *) selected+=("$1"); shift ;;
    esac
done
case "$time_s" in
    ''|*[!0-9]*|0) echo "fuzz.sh: --time needs a whole number of seconds above 0, got '$time_s'" >&2; exit 2 ;;
esac
if [ ${#selected[@]} -eq 0 ]; then
    read -r -a selected <<<"$(echo "$TARGETS" | awk 'NF { printf "%s ", $1 }')"
fi

rows=()
modules=()
for t in "${selected[@]}"; do
    row=$(echo "$TARGETS" | awk -v t="$t" '$1 == t')
    if [ -z "$row" ]; then
        echo "fuzz.sh: no target '$t'; the targets are:" >&2
        echo "$TARGETS" | awk 'NF { print "  " $1 }' >&2
        exit 2
    fi
    rows+=("$row")
    module=$(echo "$row" | awk '{ print $2 }')
    case " ${modules[*]:-} " in *" $module "*) ;; *) modules+=("$module") ;; esac
done

for tool in java mvn; do
    if ! command -v "$tool" >/dev/null; then
        echo "fuzz.sh: $tool is not on the PATH (fuzzing needs a JDK 17 and Maven)" >&2
        exit 2
    fi
done

if [ "${KERBSIDE_FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    module_list=$(IFS=,; echo "${modules[*]}")
    echo "fuzz.sh: compiling $module_list and the modules they use" >&2
    # One reactor build, so that sibling modules resolve to their target/classes (nothing is
    # installed into ~/.m2). Its output is shown only when it fails.
    mkdir -p target
    if ! mvn -B -q -ntp -pl "$module_list" -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/fuzz.classpath -Dmdep.includeScope=test >target/fuzz-build.log 2>&1; then
        cat target/fuzz-build.log >&2
        echo "fuzz.sh: the build failed" >&2
        exit 2
    fi
fi

# The last value of a "name: value" statistic in a log, or "?".
last_stat() {
    local v
    v=$(grep -o "$2 *[0-9]*" "$1" | tail -1 | grep -o '[0-9]*$' || true)
    echo "${v:-?}"
}

printf '\nfuzz.sh: %s target(s), %s s each\n' "${#rows[@]}" "$time_s" >&2
results=()
outcome=0
for row in "${rows[@]}"; do
    read -r target module class method <<<"$row"
    log="$module/target/fuzz-$target.log"
    printf '\nfuzz.sh: fuzzing %s (%s#%s) for %s s\n' "$target" "$class" "$method" "$time_s" >&2
    classpath="target/test-classes:target/classes:$(cat "$module/target/fuzz.classpath")"
    set +e
    # shellcheck disable=SC2086 # KERBSIDE_FUZZ_JAVA_OPTS is a list of options
    (cd "$module" && exec java ${KERBSIDE_FUZZ_JAVA_OPTS:--Xmx2g} -XX:-OmitStackTraceInFastThrow \
        -cp "$classpath" com.code_intelligence.jazzer.Jazzer \
        --target_class="$class" --target_method="$method" --max_duration="${time_s}s" \
        -print_final_stats=1) >"$log" 2>&1
    status=$?
    set -e

    runs=$(last_stat "$log" 'stat::number_of_executed_units:')
    rate=$(last_stat "$log" 'stat::average_exec_per_sec:')
    slowest=$(last_stat "$log" 'stat::slowest_unit_time_sec:')
    status_line=$(grep -E '^#[0-9]+[[:space:]]+[A-Z]+[[:space:]]+cov: ' "$log" | tail -1 || true)
    cov=$(echo "$status_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$status_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$status_line" | sed -n 's/.* corp: \([^ ]*\).*/\1/p')
    lines=("$(printf '%-11s executions %10s  exec/s %7s  cov %5s  ft %5s  corpus %-11s  slowest %s s' \
        "$target" "$runs" "$rate" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$slowest")")
    if [ $status -ne 0 ]; then
        what=$(grep -m1 -E '^== Java Exception: |ERROR: libFuzzer: ' "$log" \
            | sed -e 's/^== Java Exception: //' -e 's/^==[0-9]*== ERROR: libFuzzer: //' || true)
        written=$(grep -o 'Test unit written to .*' "$log" | tail -1 \
            | sed 's/^Test unit written to //' || true)
        if [ -n "$what" ]; then
            [ $outcome -eq 2 ] || outcome=1
            lines+=("            FINDING: $what")
        else
            outcome=2
            why=$(grep -m1 -iE 'error|exception' "$log" || true)
            lines+=("            FAILED with exit code $status${why:+: $why}")
        fi
        if [ -n "$written" ]; then
            lines+=("            reproducer: ${written#"$PWD"/}")
        fi
        lines+=("            log: $log")
    fi
    printf '%s\n' "${lines[@]}" >&2
    results+=("${lines[@]}")
done

printf '\nfuzz.sh: %s s per target\n' "$time_s"
printf '%s\n' "${results[@]}"
exit $outcome
