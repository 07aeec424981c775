#!/usr/bin/env bash
# The alert sweep: every scenario from 48 fixed start instants across a year (four days a month,
# every hour of the day twice; see app/src/test/java/io/kerbside/app/it/AlertSweepStarts.java),
# each run through the real broker into a real process running ingest and analytics, as the
# acceptance test does. Prints precision, recall and the median detection delay per rule over all
# runs, then every unexplained alert and every missed event.
#
# Usage: scripts/alert-sweep.sh [--scenarios CODES] [--starts sweep|T1,T2,...] [--devices N]
#                               [--report FILE]
#   --scenarios  comma-separated scenario codes (default: quiet-day,winter-night,collection-day,chaos;
#                multi-day, which plans something for every rule, takes about 2 minutes a start)
#   --starts     'sweep' (default) or a comma-separated list of ISO instants
#   --devices    town size (default 80)
#   --report     where the per-run lines go (default target/alert-sweep/runs.tsv; replaced)
#   --summary    only print the summary of an existing report
# About 30 s per run: the default 192 runs take about 100 minutes on two cores.
# Exit code: 0 when no alert was unexplained and no required event missed, 1 otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCENARIOS=""
STARTS=sweep
DEVICES=80
REPORT=target/alert-sweep/runs.tsv
SUMMARY_ONLY=false
while [ $# -gt 0 ]; do
    case "$1" in
        --scenarios) SCENARIOS="$2"; shift 2 ;;
        --starts) STARTS="$2"; shift 2 ;;
        --devices) DEVICES="$2"; shift 2 ;;
        --report) REPORT="$2"; shift 2 ;;
        --summary) SUMMARY_ONLY=true; shift ;;
        -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "alert-sweep.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
REPORT="$(realpath -m "$REPORT")"

if [ "$SUMMARY_ONLY" = false ]; then
    bash scripts/services.sh up
    eval "$(bash scripts/services.sh env)"
    mkdir -p "$(dirname "$REPORT")"
    : > "$REPORT"
    LOG="$(dirname "$REPORT")/maven.log"
    echo "alert-sweep.sh: running (log: $LOG, per-run figures: $REPORT)" >&2
    # Failed runs are the point of a sweep: they are summed up below, not a reason to stop.
    mvn -B -ntp -pl app -am verify \
        -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
        -Dit.test=ScenarioAcceptanceIT -Dfailsafe.failIfNoSpecifiedTests=false \
        -Dmaven.test.failure.ignore=true \
        -Dkerbside.acceptance.starts="$STARTS" \
        -Dkerbside.acceptance.scenarios="$SCENARIOS" \
        -Dkerbside.acceptance.devices="$DEVICES" \
        -Dkerbside.acceptance.report="$REPORT" >"$LOG" 2>&1 || {
            echo "alert-sweep.sh: the build failed; see $LOG" >&2
            exit 1
        }
fi

[ -s "$REPORT" ] || { echo "alert-sweep.sh: no runs in $REPORT" >&2; exit 1; }

runs=$(awk -F'\t' '$1 == "rule" { print $3 "\t" $4 }' "$REPORT" | sort -u | wc -l)
echo "alert sweep: $runs runs (scenario x start), figures per rule over all of them"
printf '%-22s %7s %9s %7s %7s %8s  %s\n' rule alerts precision events caught recall \
    "detection delay median / max (simulated)"
# per rule: alerts, explained alerts, events, events caught; then the delays, sorted, for median/max
awk -F'\t' '$1 == "rule" { a[$2] += $5; tp[$2] += $6; ev[$2] += $7; hit[$2] += $8 }
    END { for (r in a) printf "%s\t%d\t%d\t%d\t%d\n", r, a[r], tp[r], ev[r], hit[r] }' "$REPORT" \
    | sort > "$REPORT.rules"
awk -F'\t' '$1 == "rule" && $9 != "-" { n = split($9, d, ","); for (i = 1; i <= n; i++) print $2 "\t" d[i] }' \
    "$REPORT" | sort -t$'\t' -k1,1 -k2,2n > "$REPORT.delays"
while IFS=$'\t' read -r rule alerts tp events hit; do
    read -r median max < <(awk -F'\t' -v r="$rule" '$1 == r { v[++n] = $2 }
        END { if (n == 0) print "- -"; else print v[int((n + 1) / 2)], v[n] }' "$REPORT.delays")
    fmt() { if [ "$1" = - ]; then echo -; else printf '%dh%02dm' $(($1 / 3600)) $(($1 % 3600 / 60)); fi; }
    precision=$([ "$alerts" -eq 0 ] && echo - || awk -v a="$tp" -v b="$alerts" 'BEGIN { printf "%.2f", a / b }')
    recall=$([ "$events" -eq 0 ] && echo - || awk -v a="$hit" -v b="$events" 'BEGIN { printf "%.2f", a / b }')
    printf '%-22s %7d %9s %7d %7d %8s  %s / %s\n' "$rule" "$alerts" "$precision" "$events" "$hit" \
        "$recall" "$(fmt "$median")" "$(fmt "$max")"
done < "$REPORT.rules"

unexplained=$(awk -F'\t' '$1 == "unexplained"' "$REPORT" | wc -l)
missed=$(awk -F'\t' '$1 == "missed"' "$REPORT" | wc -l)
late=$(awk -F'\t' '$1 == "late"' "$REPORT" | wc -l)
echo
echo "unexplained alerts: $unexplained"
awk -F'\t' '$1 == "unexplained" { print "  " $2 " from " $3 ": " $4 }' "$REPORT"
echo "device-offline alerts of devices that never fell silent, from the order readings arrived in"
echo "(the publisher compresses an hour into a second; not scored): $late"
awk -F'\t' '$1 == "late" { print "  " $2 " from " $3 ": " $4 }' "$REPORT"
echo "missed required events: $missed"
awk -F'\t' '$1 == "missed" { print "  " $2 " from " $3 ": " $4 }' "$REPORT"
[ "$unexplained" -eq 0 ] && [ "$missed" -eq 0 ]
