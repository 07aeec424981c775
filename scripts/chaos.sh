#!/usr/bin/env bash
# Chaos soak: proves that ingest stores every reading the broker confirmed exactly once, and
# that every alert notice reaches its crew, while its processes, the broker and the database fail
# on a schedule. What it does and what the figures mean: docs/reliability.md.
#
# It owns everything it breaks: a PostgreSQL 15 cluster and a Mosquitto broker of its own on free
# ports, in a state directory of its own, torn down at the end. Two ingest processes in one share
# group and one analytics process run from the packaged distribution (app/target/kerbside.jar);
# the simulator's benchmark publisher offers the load, and a small simulated town (a winter night
# from a fixed instant, in a council of its own) raises alerts that analytics delivers to a
# webhook receiver (scripts/chaos/WebhookReceiver.java) throughout.
#
# Usage: scripts/chaos.sh [--short] [--plain] [--readings N] [--minutes M] [--devices N] [--keep]
#   (default)          500,000 readings over 10 minutes, 12 faults
#   --short            80,000 readings over 2.5 minutes, one fault of each kind
#   --plain            the two ingests subscribe without a share group: each receives and stores
#                      every reading and the database keeps one (what CI runs: Mosquitto 2.0
#                      drops readings at a restart under a share group, see docs/reliability.md)
#   --readings N       readings to publish (rounded up to a multiple of --devices)
#   --minutes M        minutes of load (whole minutes; faults are spread over them)
#   --devices N        simulated bins (default 1000)
#   --keep             keep the state directory (logs, samples, database) after a successful run
#
# Settings (environment):
#   KERBSIDE_CHAOS_DIR         parent of the state directory (default /var/tmp); it must be
#                              searchable by the user postgres when run as root
#   KERBSIDE_CHAOS_JAR         the distribution to run (default app/target/kerbside.jar, built
#                              with 'mvn package' when missing or older than the sources)
#   KERBSIDE_CHAOS_JAVA_OPTS   JVM options of the Kerbside processes (default -Xmx384m)
#
# Exit code: 0 when nothing was lost, nothing duplicated, every alert notice was received and
# /ready told the truth through every fault; 1 otherwise (the reasons are printed); 2 when the
# soak could not run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO="$PWD"

READINGS=500000
LOAD_S=600
DEVICES=1000
SHORT=0
PLAIN=0
KEEP=0
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --short) SHORT=1; READINGS=80000; LOAD_S=150 ;;
        --plain) PLAIN=1 ;;
        --readings) READINGS="${2:?--readings needs a number}"; shift ;;
        --minutes) LOAD_S=$(( ${2:?--minutes needs a number} * 60 )); shift ;;
        --devices) DEVICES="${2:?--devices needs a number}"; shift ;;
        --keep) KEEP=1 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "chaos.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for v in READINGS LOAD_S DEVICES; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "chaos.sh: $v must be a positive whole number" >&2; exit 2; }
done
[ "$LOAD_S" -ge 120 ] || { echo "chaos.sh: --minutes must be at least 2 (the faults need room)" >&2; exit 2; }

PG_BIN=/usr/lib/postgresql/15/bin
HOST=127.0.0.1
STALL_S=5          # KERBSIDE_INGEST_STALL_S: a frozen database is reported after this
DOWN_S=5           # how long the broker and the database stay down when restarted
FREEZE_S=20
PAUSE_S=15
RECOVERY_LIMIT_S=90
# Analytics reports its timer pass on /ready as it last ran: a shorter cycle than the default
# 60 s lets it show the database back soon after it is.
CYCLE_S=10
JAVA_OPTS="${KERBSIDE_CHAOS_JAVA_OPTS:--Xmx384m}"
# The town that raises alerts: a winter night (16 simulated hours) from a fixed instant, played
# over the load's duration, in its own council so its clock never meets the load's.
TOWN_DEVICES=40
TOWN_START=2026-01-14T16:00:00Z
TOWN_HOURS=16
TOWN_SEED=7

log() { printf '%s chaos: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'chaos.sh: ERROR: %s\n' "$*" >&2; exit 2; }
now_ms() { local t="${EPOCHREALTIME//[.,]/}"; echo "${t:0:13}"; }

# ------------------------------------------------------------------ prerequisites

pkg_missing() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
install_missing() {
    local missing=() p
    for p in "$@"; do pkg_missing "$p" && missing+=("$p"); done
    [ "${#missing[@]}" -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "please install ${missing[*]} (apt-get install ${missing[*]})"
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
        die "apt-get install ${missing[*]} failed"
}
[ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/psql" ] || install_missing postgresql-15 postgresql-client-15
[ -x /usr/sbin/mosquitto ] || install_missing mosquitto
command -v curl >/dev/null || install_missing curl
command -v java >/dev/null || die "java (JDK 17) is not on the PATH"
# pg_ctl's own service would start the Debian cluster; we only use the binaries.

JAR="${KERBSIDE_CHAOS_JAR:-$REPO/app/target/kerbside.jar}"
if [ -z "${KERBSIDE_CHAOS_JAR:-}" ]; then
    if [ ! -f "$JAR" ] || [ -n "$(find "$REPO" -path "$REPO/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$JAR" -print -quit)" ]; then
        log "building the distribution (mvn package, tests skipped)"
        mvn -B -q -ntp -DskipTests package >&2 || die "the build failed"
    fi
fi
[ -f "$JAR" ] || die "no distribution at $JAR"

# ------------------------------------------------------------------ state and ports

STATE="$(mktemp -d "$(realpath -m "${KERBSIDE_CHAOS_DIR:-/var/tmp}")/kerbside-chaos.XXXXXX")"
chmod 755 "$STATE"
# Run a copy: a build meanwhile (mvn package rewrites app/target) must not change the jar under
# the running processes.
cp "$JAR" "$STATE/kerbside.jar"
JAR="$STATE/kerbside.jar"
PG_DATA="$STATE/pg"
PG_SOCK="$STATE/sock"
MQ_DIR="$STATE/mosquitto"
mkdir -p "$MQ_DIR/data" "$STATE/logs"

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }
USED_PORTS=" "
pick_port() { # VAR
    local p
    while :; do
        p=$((20000 + RANDOM % 30000))
        case "$USED_PORTS" in *" $p "*) continue ;; esac
        port_open "$p" && continue
        USED_PORTS="$USED_PORTS$p "
        printf -v "$1" '%s' "$p"
        return 0
    done
}
pick_port PG_PORT
pick_port MQ_PORT
pick_port HTTP_A
pick_port HTTP_B
pick_port HTTP_AN
pick_port HOOK_PORT

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
psql_q() { # SQL: one value per line, fails after 5 s
    PGCONNECT_TIMEOUT=3 timeout 5 "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
        -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -c "$1" 2>/dev/null
}

# ------------------------------------------------------------------ teardown

declare -A PID=()
SAMPLER_PIDS=()
RESULT=2
teardown() {
    local rc=$? p
    trap - EXIT INT TERM
    for p in "${SAMPLER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    # A frozen database must run again before it can stop.
    pg_processes 2>/dev/null | xargs -r kill -CONT 2>/dev/null || true
    for p in "${PID[@]}"; do kill -CONT "$p" 2>/dev/null; kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PID[@]}"; do
        for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$p" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    if [ -s "$PG_DATA/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    if [ "$rc" = 0 ] && [ "$KEEP" = 0 ]; then
        rm -rf "$STATE"
    else
        log "state, logs and samples kept in $STATE"
    fi
    exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ PostgreSQL

pg_postmaster() { head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null; }
# The postmaster and every process it started: each backend is its own process group, so a
# signal to the postmaster's group would miss them.
pg_processes() {
    local pid
    pid="$(pg_postmaster)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    echo "$pid"
    pgrep -P "$pid" || true
}
pg_ready() { "$PG_BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 2; }
pg_start() {
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$STATE/logs/postgres.log" -w -t 60 \
        -o "-p $PG_PORT -c listen_addresses=$HOST -k $PG_SOCK -c max_connections=100" \
        start >/dev/null || die "PostgreSQL did not start; see $STATE/logs/postgres.log"
}
pg_stop() { # fast|immediate
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m "$1" -w -t 60 stop >/dev/null || die "PostgreSQL did not stop"
}
pg_setup() {
    install -d -m 700 "$PG_DATA"
    install -d -m 755 "$PG_SOCK"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DATA" "$PG_SOCK" "$STATE/logs"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$STATE/logs/initdb.log" 2>&1 || die "initdb failed; see $STATE/logs/initdb.log"
    printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$PG_DATA/pg_hba.conf"
    pg_start
}

# ------------------------------------------------------------------ Mosquitto

mq_setup() {
    {
        echo "# chaos soak broker"
        [ "$(id -u)" = 0 ] && echo "user root"
        cat <<EOF
listener $MQ_PORT $HOST
allow_anonymous true
# Sessions and their queued QoS 1 messages survive a restart (saved on a clean shutdown).
persistence true
persistence_location $MQ_DIR/data/
autosave_interval 300
# Defaults would drop QoS 1 messages queued beyond 1000 for an offline persistent subscriber.
max_queued_messages 10000000
max_queued_bytes 0
max_inflight_messages 0
max_inflight_bytes 0
log_dest file $STATE/logs/mosquitto.log
log_type error
log_type warning
log_type notice
EOF
    } >"$MQ_DIR/mosquitto.conf"
    mq_start
}
mq_start() {
    /usr/sbin/mosquitto -c "$MQ_DIR/mosquitto.conf" </dev/null >>"$STATE/logs/mosquitto.stderr" 2>&1 &
    PID[broker]=$!
    for _ in $(seq 100); do port_open "$MQ_PORT" && return 0; sleep 0.1; done
    die "Mosquitto did not start; see $STATE/logs/mosquitto.log"
}
mq_stop() {
    local p="${PID[broker]}"
    kill -TERM "$p"
    wait "$p" 2>/dev/null || true
    unset 'PID[broker]'
}

# ------------------------------------------------------------------ Kerbside processes

ROLE_CMD_ingest_a=ingest ROLE_CMD_ingest_b=ingest ROLE_CMD_analytics=analytics
declare -A HTTP_PORT=([ingest_a]=$HTTP_A [ingest_b]=$HTTP_B [analytics]=$HTTP_AN)
start_role() { # ROLE
    local role="$1" cmd="ROLE_CMD_$1" extra=() share=()
    [ "${!cmd}" = ingest ] && extra=(--migrate)
    [ "$PLAIN" = 1 ] || share=(KERBSIDE_INGEST_SHARE_GROUP=chaos)
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    env KERBSIDE_DB_URL="jdbc:postgresql://$HOST:$PG_PORT/postgres" KERBSIDE_DB_USER=postgres \
        KERBSIDE_MQTT_URL="tcp://$HOST:$MQ_PORT" KERBSIDE_MQTT_CLIENT_ID="chaos-${role//_/-}" \
        "${share[@]}" KERBSIDE_INGEST_STALL_S=$STALL_S \
        KERBSIDE_ANALYTICS_CYCLE_INTERVAL_S=$CYCLE_S \
        KERBSIDE_INGEST_SUBSCRIPTIONS="kerbside/+/+=native@default,town/+/+=native@town" \
        KERBSIDE_RETENTION_DAYS=36500 KERBSIDE_ANALYTICS_CATCH_UP_H=876000 \
        KERBSIDE_ANALYTICS_ROUTES_FILE="$STATE/routes.yaml" \
        KERBSIDE_WEBHOOK_CHAOS_SECRET="$HOOK_SECRET" \
        KERBSIDE_HTTP_PORT="${HTTP_PORT[$role]}" \
        java $JAVA_OPTS -jar "$JAR" "${!cmd}" "${extra[@]}" </dev/null >>"$STATE/logs/$role.log" 2>&1 &
    PID[$role]=$!
    echo "$!" >"$STATE/pid.$role"
}
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 0.8 "http://$HOST:$1/ready" 2>/dev/null || true; }
wait_ready() { # ROLE SECONDS
    local deadline=$((SECONDS + $2))
    while [ "$SECONDS" -lt "$deadline" ]; do
        [ "$(http_code "${HTTP_PORT[$1]}")" = 200 ] && return 0
        sleep 0.5
    done
    return 1
}
all_ready() {
    local role
    for role in ingest_a ingest_b analytics; do
        [ "$(http_code "${HTTP_PORT[$role]}")" = 200 ] || return 1
    done
}
kill_role() { # ROLE
    local p="${PID[$1]}"
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
    unset "PID[$1]"
    echo 0 >"$STATE/pid.$1"
}

# ------------------------------------------------------------------ samplers

# Every second: each process's /ready code (000 when nothing answers) and its peak RSS.
ready_sampler() {
    local -A hwm=()
    local role pid t codes line k v
    while :; do
        t="$(now_ms)"
        codes=""
        for role in ingest_a ingest_b analytics; do
            codes="$codes $(http_code "${HTTP_PORT[$role]}")"
            pid="$(cat "$STATE/pid.$role" 2>/dev/null || echo 0)"
            if [ "$pid" != 0 ] && [ -r "/proc/$pid/status" ]; then
                while read -r k v _; do
                    if [ "$k" = VmHWM: ] && [ "$v" -gt "${hwm[$role]:-0}" ]; then
                        hwm[$role]=$v
                        echo "$role $v" >>"$STATE/rss.log"
                    fi
                done <"/proc/$pid/status" 2>/dev/null || true
            fi
        done
        # Stamped when the round's last answer came: a code is never dated before it was seen, so a
        # 503 caused by a fault that began during the round is not laid to the fault before it.
        echo "$(now_ms)$codes" >>"$STATE/ready.log"
        line=$(( 1000 - ($(now_ms) - t) ))
        [ "$line" -gt 0 ] && sleep "0.$(printf '%03d' "$line")"
    done
}
# Every second: readings committed so far (no line while the database does not answer).
count_sampler() {
    local t c
    while :; do
        t="$(now_ms)"
        if c="$(psql_q 'SELECT count(*) FROM kerbside.reading')" && [ -n "$c" ]; then
            echo "$(now_ms) $c" >>"$STATE/count.log"
        fi
        c=$(( 1000 - ($(now_ms) - t) ))
        [ "$c" -gt 0 ] && sleep "0.$(printf '%03d' "$c")"
    done
}

# ------------------------------------------------------------------ fault plan

if [ "$SHORT" = 1 ]; then
    PLAN=(ingest-kill:ingest_a db-restart-immediate analytics-kill broker-restart
          ingest-pause:ingest_b db-freeze handover:ingest_a)
else
    PLAN=(ingest-kill:ingest_a db-restart-fast analytics-kill broker-restart
          ingest-pause:ingest_b ingest-kill:ingest_b db-freeze handover:ingest_a
          db-restart-immediate analytics-kill broker-restart ingest-kill:ingest_a)
fi
NFAULTS=${#PLAN[@]}
SPACING_S=$((LOAD_S / (NFAULTS + 1)))
HANDOVER_S=$((SPACING_S * 2 / 3))
[ "$HANDOVER_S" -ge 15 ] || HANDOVER_S=15

describe() { # FAULT
    case "$1" in
        ingest-kill:*) echo "kill -9 ${1#*:}, restarted at once" ;;
        analytics-kill) echo "kill -9 analytics, restarted at once" ;;
        broker-restart) echo "broker stopped (SIGTERM, state saved), started after ${DOWN_S} s" ;;
        db-restart-fast) echo "pg_ctl stop -m fast, started after ${DOWN_S} s" ;;
        db-restart-immediate) echo "pg_ctl stop -m immediate (crash), started after ${DOWN_S} s" ;;
        db-freeze) echo "every database process SIGSTOP for ${FREEZE_S} s" ;;
        ingest-pause:*) echo "SIGSTOP ${1#*:} for ${PAUSE_S} s" ;;
        handover:*) if [ "$PLAIN" = 1 ]; then echo "kill -9 ${1#*:} and keep it down ${HANDOVER_S} s: the other stores every reading meanwhile"; else echo "kill -9 ${1#*:} and keep it down ${HANDOVER_S} s: its share goes to the other"; fi ;;
    esac
}

# Runs FAULT in this shell (it restarts processes this shell owns); sets T0 and T1 (ms): when
# the fault began and when its cause was removed.
inject() {
    local f="$1" t0 t1 target
    target="${f#*:}"
    t0="$(now_ms)"
    case "$f" in
        ingest-kill:* | analytics-kill)
            [ "$f" = analytics-kill ] && target=analytics
            kill_role "$target"
            t1="$(now_ms)"
            start_role "$target" ;;
        broker-restart)
            mq_stop; sleep "$DOWN_S"; t1="$(now_ms)"; mq_start ;;
        db-restart-fast)
            pg_stop fast; sleep "$DOWN_S"; t1="$(now_ms)"; pg_start ;;
        db-restart-immediate)
            pg_stop immediate; sleep "$DOWN_S"; t1="$(now_ms)"; pg_start ;;
        db-freeze)
            local pids
            pids="$(pg_processes)"
            # shellcheck disable=SC2086 # one pid per word
            kill -STOP $pids
            sleep "$FREEZE_S"
            # Backends forked meanwhile cannot exist (the postmaster was stopped), so the same set.
            # shellcheck disable=SC2086
            kill -CONT $pids
            t1="$(now_ms)" ;;
        ingest-pause:*)
            kill -STOP "${PID[$target]}"; sleep "$PAUSE_S"; kill -CONT "${PID[$target]}"; t1="$(now_ms)" ;;
        handover:*)
            kill_role "$target"; sleep "$HANDOVER_S"; t1="$(now_ms)"; start_role "$target" ;;
    esac
    T0="$t0" T1="$t1"
}

# ------------------------------------------------------------------ the town and its crew

HOOK_SECRET="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
kerbside_cli() { # ARGS...: a one-off command against the soak's database
    env KERBSIDE_DB_URL="jdbc:postgresql://$HOST:$PG_PORT/postgres" KERBSIDE_DB_USER=postgres \
        java -Xmx256m -jar "$JAR" "$@" </dev/null >>"$STATE/logs/setup.log" 2>&1
}
town_setup() {
    kerbside_cli migrate || die "migrate failed; see $STATE/logs/setup.log"
    kerbside_cli councils add town "Chaos town" || die "councils add failed; see $STATE/logs/setup.log"
    java -Xmx256m -jar "$JAR" sim --scenario winter-night --devices "$TOWN_DEVICES" --seed "$TOWN_SEED" \
        --export-town "$STATE/town.csv" >>"$STATE/logs/setup.log" 2>&1 || die "the town export failed"
    kerbside_cli assets import --council town "$STATE/town.csv" || die "the town import failed; see $STATE/logs/setup.log"
    cat >"$STATE/routes.yaml" <<YAML
channels:
  - name: crew
    type: webhook
    url: http://$HOST:$HOOK_PORT/hooks/kerbside
    secret_env: KERBSIDE_WEBHOOK_CHAOS_SECRET
routes:
  - name: everything
    events: [opened, reopened, escalated, resolved]
    channels: [crew]
YAML
    : >"$STATE/webhook.log"
    java -Xmx64m "$REPO/scripts/chaos/WebhookReceiver.java" "$HOST" "$HOOK_PORT" "$STATE/webhook.log" \
        </dev/null >>"$STATE/logs/webhook.log" 2>&1 &
    PID[webhook]=$!
    local deadline=$((SECONDS + 60))
    until port_open "$HOOK_PORT"; do
        [ "$SECONDS" -ge "$deadline" ] && die "the webhook receiver did not start; see $STATE/logs/webhook.log"
        sleep 0.5
    done
}

# ------------------------------------------------------------------ run

PER_DEVICE=$(( (READINGS + DEVICES - 1) / DEVICES ))
READINGS=$((PER_DEVICE * DEVICES))
RATE=$(( (READINGS + LOAD_S - 1) / LOAD_S ))

log "state in $STATE; PostgreSQL on $PG_PORT, Mosquitto on $MQ_PORT, webhook on $HOOK_PORT"
pg_setup
mq_setup
town_setup
start_role ingest_a
wait_ready ingest_a 180 || die "ingest_a did not become ready; see $STATE/logs/ingest_a.log"
start_role ingest_b
start_role analytics
wait_ready ingest_b 180 || die "ingest_b did not become ready; see $STATE/logs/ingest_b.log"
wait_ready analytics 180 || die "analytics did not become ready; see $STATE/logs/analytics.log"
if [ "$PLAIN" = 1 ]; then
    log "ingest_a :$HTTP_A, ingest_b :$HTTP_B (plain subscriptions), analytics :$HTTP_AN ready"
else
    log "ingest_a :$HTTP_A, ingest_b :$HTTP_B (share group chaos), analytics :$HTTP_AN ready"
fi

echo
echo "Chaos soak: $READINGS readings from $DEVICES devices over $LOAD_S s (${RATE}/s), $NFAULTS faults"
echo
printf '%-3s %-8s %-22s %s\n' '#' 'at' 'fault' 'what'
for i in "${!PLAN[@]}"; do
    at=$(( SPACING_S * (i + 1) ))
    printf '%-3s %-8s %-22s %s\n' "$((i + 1))" "+${at}s" "${PLAN[$i]%%:*}" "$(describe "${PLAN[$i]}")"
done
echo

: >"$STATE/ready.log"
: >"$STATE/count.log"
ready_sampler &
SAMPLER_PIDS+=($!)
count_sampler &
SAMPLER_PIDS+=($!)

GT="$STATE/ground-truth.jsonl"
LOAD_T0="$(now_ms)"
java -Xmx256m -jar "$JAR" sim --benchmark --devices "$DEVICES" --duration "$((PER_DEVICE * 15))m" \
    --rate "$RATE" --shared-connections 4 --client-id-prefix chaos-load \
    --mqtt-url "tcp://$HOST:$MQ_PORT" --ground-truth "$GT" </dev/null >"$STATE/logs/load.log" 2>&1 &
LOAD_PID=$!
TOWN_GT="$STATE/town-truth.jsonl"
java -Xmx256m -jar "$JAR" sim --scenario winter-night --devices "$TOWN_DEVICES" --seed "$TOWN_SEED" \
    --start "$TOWN_START" --duration "${TOWN_HOURS}h" --speed "$((TOWN_HOURS * 3600 / LOAD_S))" \
    --topic-prefix town --client-id-prefix chaos-town \
    --mqtt-url "tcp://$HOST:$MQ_PORT" --ground-truth "$TOWN_GT" </dev/null >"$STATE/logs/town.log" 2>&1 &
TOWN_PID=$!

: >"$STATE/faults.log"
: >"$STATE/recovered.log"
for i in "${!PLAN[@]}"; do
    f="${PLAN[$i]}"
    due=$(( LOAD_T0 + SPACING_S * (i + 1) * 1000 ))
    wait_ms=$(( due - $(now_ms) ))
    [ "$wait_ms" -gt 0 ] && sleep "$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))"
    # Each fault starts from a system that has recovered from the one before.
    recovery_deadline=$((SECONDS + RECOVERY_LIMIT_S))
    until all_ready; do
        [ "$SECONDS" -ge "$recovery_deadline" ] && { log "not every process is ready; injecting all the same"; break; }
        sleep 0.5
    done
    [ "$i" -gt 0 ] && all_ready && echo "$i $(now_ms)" >>"$STATE/recovered.log"
    kill -0 "$LOAD_PID" 2>/dev/null || log "the publisher finished before fault $((i + 1))"
    log "fault $((i + 1))/$NFAULTS: $(describe "$f")"
    inject "$f"
    echo "$((i + 1)) $f $T0 $T1" >>"$STATE/faults.log"
done

recovery_deadline=$((SECONDS + RECOVERY_LIMIT_S))
until all_ready; do [ "$SECONDS" -ge "$recovery_deadline" ] && break; sleep 0.5; done
all_ready && echo "$NFAULTS $(now_ms)" >>"$STATE/recovered.log"
log "all faults injected; waiting for the publisher"
LOAD_RC=0
wait "$LOAD_PID" || LOAD_RC=$?
LOAD_T1="$(now_ms)"
TOWN_RC=0
wait "$TOWN_PID" || TOWN_RC=$?
[ -s "$TOWN_GT" ] && grep -q '"record":"summary"' "$TOWN_GT" || die "the town wrote no summary (exit $TOWN_RC); see $STATE/logs/town.log"
grep -E '^benchmark:|failed' "$STATE/logs/load.log" | tail -n 3 >&2 || true
[ -s "$GT" ] && grep -q '"record":"summary"' "$GT" || die "the publisher wrote no summary (exit $LOAD_RC); see $STATE/logs/load.log"

log "waiting for ingest to drain (the stored count steady for 10 s)"
last=-1 steady_since=$SECONDS drain_deadline=$((SECONDS + 900))
while :; do
    c="$(psql_q 'SELECT count(*) FROM kerbside.reading' || echo -1)"
    if [ "$c" != "$last" ]; then last="$c"; steady_since=$SECONDS; fi
    [ $((SECONDS - steady_since)) -ge 10 ] && break
    [ "$SECONDS" -ge "$drain_deadline" ] && { log "still not drained after 15 minutes"; break; }
    sleep 1
done
END_T="$(now_ms)"
for p in "${SAMPLER_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
SAMPLER_PIDS=()

log "waiting for the alert notices (every event routed, no delivery pending, for 15 s)"
notices_deadline=$((SECONDS + 180)) settled_since=$SECONDS
while :; do
    open_work="$(psql_q "SELECT (SELECT count(*) FROM kerbside.alert_event WHERE routed_at IS NULL)
        + (SELECT count(*) FROM kerbside.delivery WHERE status = 'pending')" || echo -1)"
    [ "$open_work" = 0 ] || settled_since=$SECONDS
    [ $((SECONDS - settled_since)) -ge 15 ] && break
    [ "$SECONDS" -ge "$notices_deadline" ] && { log "notices still pending after 3 minutes"; break; }
    sleep 1
done

# ------------------------------------------------------------------ accounting

sed -n 's/.*"record":"tally","device":"\([^"]*\)".*"readings":\([0-9]*\).*"failed_sends":\([0-9]*\),"first_seq":\([0-9]*\),"last_seq":\([0-9]*\).*/\1,\2,\3,\4,\5/p' \
    "$GT" >"$STATE/tally.csv"
summary="$(grep '"record":"summary"' "$GT")"
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<<"$summary"; }
SENT="$(field sent)" FAILED="$(field failed)" RESENT="$(field resent)"

chmod 644 "$STATE/tally.csv"
accounting="$(PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 \
    -h "$HOST" -p "$PG_PORT" -U postgres -d postgres <<SQL
CREATE TEMP TABLE tally (device_id text, readings bigint, failed bigint, first_seq bigint, last_seq bigint);
\copy tally FROM '$STATE/tally.csv' WITH (FORMAT csv)
CREATE TEMP TABLE stored AS
  SELECT d.device_id, r.seq FROM kerbside.reading r JOIN kerbside.device d USING (device_pk)
  WHERE d.device_id IN (SELECT device_id FROM tally);
CREATE TEMP TABLE expected AS
  -- The benchmark numbers each device's readings 1, 2, 3... and leaves first_seq and last_seq at 0.
  SELECT device_id, generate_series(CASE WHEN last_seq > 0 THEN first_seq ELSE 1 END,
                                    CASE WHEN last_seq > 0 THEN last_seq ELSE readings END) AS seq
  FROM tally WHERE failed = 0 AND readings > 0;
ANALYZE stored; ANALYZE expected;
SELECT
  (SELECT coalesce(sum(readings), 0) FROM tally),
  (SELECT count(*) FROM stored),
  (SELECT count(*) FROM (SELECT DISTINCT device_id, seq FROM stored) s),
  (SELECT count(*) FROM expected e WHERE NOT EXISTS
     (SELECT 1 FROM stored s WHERE s.device_id = e.device_id AND s.seq = e.seq)),
  (SELECT count(*) FROM tally WHERE failed > 0),
  (SELECT coalesce(sum(greatest(0, t.readings - (SELECT count(DISTINCT s.seq) FROM stored s
      WHERE s.device_id = t.device_id AND s.seq BETWEEN greatest(t.first_seq, 1)
        AND CASE WHEN t.last_seq > 0 THEN t.last_seq ELSE t.readings + t.failed END))), 0)
     FROM tally t WHERE t.failed > 0),
  (SELECT count(*) FROM kerbside.dead_letter),
  (SELECT count(*) FROM kerbside.alert),
  (SELECT count(*) FROM kerbside.reading);
SELECT 'missing ' || e.device_id || ' seq ' || e.seq FROM expected e WHERE NOT EXISTS
  (SELECT 1 FROM stored s WHERE s.device_id = e.device_id AND s.seq = e.seq) ORDER BY 1 LIMIT 10;
SQL
)" || die "the accounting queries failed"
read -r CONFIRMED STORED DISTINCT LOST UNCERTAIN_DEVICES LOST_UNCERTAIN DEAD ALERTS ALL_READINGS <<<"$(head -n1 <<<"$accounting")"
DUPLICATED=$((STORED - DISTINCT))
LOST_TOTAL=$((LOST + LOST_UNCERTAIN))

# Notices: every event the route asks for must have been delivered, and the receiver must have
# it; a notice sent again (its answer lost to a kill) carries the same event id.
awk -F'\t' '{ print $2 }' "$STATE/webhook.log" | sort >"$STATE/received.ids"
sort -u "$STATE/received.ids" >"$STATE/received.distinct"
PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$HOST" -p "$PG_PORT" -U postgres \
    -d postgres -c "SELECT alert_event_id FROM kerbside.delivery WHERE channel = 'crew'
        AND status = 'delivered'" | sort -u >"$STATE/delivered.ids" || die "the notice queries failed"
read -r TOWN_ALERTS NOTICE_EVENTS UNQUEUED PENDING GAVE_UP ATTEMPTS <<<"$(psql_q "SELECT
  (SELECT count(*) FROM kerbside.alert a JOIN kerbside.council c USING (council_id) WHERE c.slug = 'town'),
  (SELECT count(*) FROM kerbside.alert_event WHERE type IN ('opened', 'reopened', 'escalated', 'resolved')),
  (SELECT count(*) FROM kerbside.alert_event e WHERE e.type IN ('opened', 'reopened', 'escalated', 'resolved')
     AND NOT EXISTS (SELECT 1 FROM kerbside.delivery d WHERE d.alert_event_id = e.alert_event_id AND d.channel = 'crew')),
  (SELECT count(*) FROM kerbside.delivery WHERE status = 'pending'),
  (SELECT count(*) FROM kerbside.delivery WHERE status = 'gave_up'),
  (SELECT coalesce(sum(attempts), 0) FROM kerbside.delivery)" | tr '|' ' ')"
DELIVERED="$(wc -l <"$STATE/delivered.ids")"
RECEIVED="$(wc -l <"$STATE/received.ids")"
RECEIVED_DISTINCT="$(wc -l <"$STATE/received.distinct")"
NOTICES_MISSING="$(comm -23 "$STATE/delivered.ids" "$STATE/received.distinct" | wc -l)"
NOTICES_UNKNOWN="$(comm -13 "$STATE/delivered.ids" "$STATE/received.distinct" | wc -l)"
NOTICE_COPIES=$((RECEIVED - RECEIVED_DISTINCT))
TOWN_RULES="$(psql_q "SELECT string_agg(rule || ' ' || n, ', ' ORDER BY rule) FROM (SELECT a.rule, count(*) AS n
    FROM kerbside.alert a JOIN kerbside.council c USING (council_id) WHERE c.slug = 'town' GROUP BY a.rule) r")"
TOWN_TRUTH="$(sed -n 's/.*"record":"summary".*"faults":{\([^}]*\)},"conditions":{\([^}]*\)}.*/\1,\2/p' "$TOWN_GT" | tr -d '"' | sed 's/:/ /g; s/,/, /g')"

# Per fault: outage, when every process answered 200 again, when commits resumed, and whether
# /ready told the truth: a dependency outage must show 503 on each running ingest, a process fault
# must not show 503 on the processes it left alone, and after recovery no 503 until the next fault.
fault_table="$(awk -v load0="$LOAD_T0" -v load1="$LOAD_T1" -v end="$END_T" -v grace=$(( (STALL_S + 5) * 1000 )) -v plain="$PLAIN" \
    -v limit=$((RECOVERY_LIMIT_S * 1000)) '
    FILENAME == ARGV[1] { n++; idx[n] = $1; kind[n] = $2; s[n] = $3; e[n] = $4; next }
    FILENAME == ARGV[2] { m++; rt[m] = $1; ca[m] = $2; cb[m] = $3; cn[m] = $4; next }
    FILENAME == ARGV[3] { k++; ct[k] = $1; cc[k] = $2; next }
    # the main loop saw every process answer 200 (between two samples, or before the next fault)
    FILENAME == ARGV[4] { seenready[$1] = $2; next }
    END {
        # longest time without a new committed reading while the publisher ran
        lastinc = load0; prev = -1; stall = 0; stallat = 0
        for (j = 1; j <= k; j++) {
            if (ct[j] < load0) { prev = cc[j]; continue }
            if (prev >= 0 && cc[j] > prev) {
                if (ct[j] - lastinc > stall) { stall = ct[j] - lastinc; stallat = lastinc }
                lastinc = ct[j]
            }
            prev = cc[j]
            if (ct[j] > load1) break
        }
        printf "STALL %.1f %.1f\n", stall / 1000, (stallat - load0) / 1000
        lies = 0
        for (i = 1; i <= n; i++) {
            wend = (i < n) ? s[i + 1] : end
            split(kind[i], kk, ":"); f = kk[1]; tgt = kk[2]
            dep = (f ~ /^(db-|broker)/)
            if (f == "analytics-kill") tgt = "analytics"
            saw503a = 0; saw503b = 0; ready = 0; lie = ""; flap = 0
            for (j = 1; j <= m; j++) {
                if (rt[j] < s[i] || rt[j] >= wend) continue
                allok = (ca[j] == "200" && cb[j] == "200" && cn[j] == "200")
                if (dep && rt[j] <= e[i] + grace) { if (ca[j] == "503") saw503a = 1; if (cb[j] == "503") saw503b = 1 }
                # Without a share group both ingests write every reading: a peer paused inside its
                # transaction holds the keys the other waits on, and a 503 from the other is true.
                if (!dep && !(plain && f == "ingest-pause")) {
                    if (tgt != "ingest_a" && ca[j] == "503") lie = lie " ingest_a-503"
                    if (tgt != "ingest_b" && cb[j] == "503") lie = lie " ingest_b-503"
                }
                if (!ready && rt[j] >= e[i] && allok) ready = rt[j]
                else if (ready && (ca[j] == "503" || cb[j] == "503")) flap = 1
            }
            if (seenready[idx[i]] > 0 && (!ready || seenready[idx[i]] < ready)) ready = seenready[idx[i]]
            if (dep && !saw503a) lie = lie " ingest_a-never-503"
            if (dep && !saw503b) lie = lie " ingest_b-never-503"
            if (!ready || ready - s[i] > limit) lie = lie " not-ready-again"
            if (flap) lie = lie " 503-after-recovery"
            resumed = 0; prev = -1
            for (j = 1; j <= k; j++) {
                if (ct[j] < e[i]) { prev = cc[j]; continue }
                if (prev >= 0 && cc[j] > prev) { resumed = ct[j]; break }
                prev = cc[j]
            }
            # dedupe the reasons
            split(lie, parts, " "); delete seen; why = ""
            for (p in parts) if (parts[p] != "" && !seen[parts[p]]++) why = why (why == "" ? "" : ",") parts[p]
            truthful = (why == "") ? "yes" : "no"
            if (why != "") lies++
            printf "%s %s %s %.1f %.1f %s %s %s %s\n", idx[i], f, (tgt == "" ? "-" : tgt), \
                (s[i] - load0) / 1000, (e[i] - s[i]) / 1000, \
                ready ? sprintf("%.1f", (ready - s[i]) / 1000) : "never", \
                resumed ? sprintf("%.1f", (resumed - s[i]) / 1000) : "never", truthful, (why == "" ? "-" : why)
        }
        printf "LIES %d\n", lies
    }' "$STATE/faults.log" "$STATE/ready.log" "$STATE/count.log" "$STATE/recovered.log")"
read -r _ STALL STALL_AT <<<"$(grep '^STALL' <<<"$fault_table")"
LIES="$(sed -n 's/^LIES //p' <<<"$fault_table")"
rss() { awk -v r="$1" '$1 == r && $2 > m { m = $2 } END { printf "%d", m / 1024 }' "$STATE/rss.log" 2>/dev/null || echo 0; }

echo
echo "Faults"
printf '%-3s %-22s %-9s %8s %8s %10s %10s %-9s %s\n' '#' fault target 'at s' 'out s' 'ready s' 'writes s' truthful why
grep -Ev '^(STALL|LIES)' <<<"$fault_table" | while read -r a b c d e f g h w; do
    printf '%-3s %-22s %-9s %8s %8s %10s %10s %-9s %s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$w"
done
echo
echo "Accounting"
printf '  %-44s %s\n' \
    "readings confirmed by the broker" "$CONFIRMED (sent $SENT, re-sent after a lost connection $RESENT, failed for good $FAILED)" \
    "readings stored" "$STORED" \
    "distinct (device, seq) stored" "$DISTINCT" \
    "lost (confirmed, not stored)" "$LOST_TOTAL$( [ "$UNCERTAIN_DEVICES" -gt 0 ] && echo " (at least; $UNCERTAIN_DEVICES devices had failed sends)")" \
    "duplicated (stored beyond distinct)" "$DUPLICATED" \
    "dead-lettered" "$DEAD" \
    "alerts raised" "$ALERTS (the town's: $TOWN_ALERTS${TOWN_RULES:+: $TOWN_RULES})" \
    "the town's ground truth" "${TOWN_TRUTH:-nothing}" \
    "alert events to notify (opened, re-opened, escalated, resolved)" "$NOTICE_EVENTS (not queued $UNQUEUED)" \
    "notices delivered / pending / given up" "$DELIVERED / $PENDING / $GAVE_UP ($ATTEMPTS attempts)" \
    "notices received by the crew's webhook" "$RECEIVED_DISTINCT distinct events ($NOTICE_COPIES copies sent again, same event id)" \
    "notices delivered but not received / unknown" "$NOTICES_MISSING / $NOTICES_UNKNOWN" \
    "longest stall (no new commit under load)" "${STALL} s (from +${STALL_AT} s)" \
    "peak RSS ingest_a / ingest_b / analytics" "$(rss ingest_a) / $(rss ingest_b) / $(rss analytics) MB" \
    "load offered / drained" "$(( (LOAD_T1 - LOAD_T0) / 1000 )) s / $(( (END_T - LOAD_T0) / 1000 )) s after the start"
grep '^missing' <<<"$accounting" | sed 's/^/  /' || true
echo

reasons=()
[ "$LOST_TOTAL" = 0 ] || reasons+=("$LOST_TOTAL confirmed readings were not stored")
[ "$DUPLICATED" = 0 ] || reasons+=("$DUPLICATED readings were stored twice")
[ "$LIES" = 0 ] || reasons+=("/ready did not tell the truth through $LIES faults")
[ "$CONFIRMED" -gt 0 ] || reasons+=("the broker confirmed no readings")
[ "$TOWN_ALERTS" -gt 0 ] || reasons+=("the town raised no alerts, so no notice was tested")
[ "$UNQUEUED" = 0 ] || reasons+=("$UNQUEUED alert events were never queued for the crew")
[ "$PENDING" = 0 ] && [ "$GAVE_UP" = 0 ] || reasons+=("$PENDING notices still pending, $GAVE_UP given up")
[ "$DELIVERED" = "$NOTICE_EVENTS" ] || reasons+=("$DELIVERED notices delivered for $NOTICE_EVENTS events")
[ "$NOTICES_MISSING" = 0 ] || reasons+=("$NOTICES_MISSING delivered notices never reached the crew")
[ "$NOTICES_UNKNOWN" = 0 ] || reasons+=("the crew received $NOTICES_UNKNOWN notices Kerbside has not marked delivered")
if [ "${#reasons[@]}" -eq 0 ]; then
    echo "PASS: nothing lost, nothing duplicated, every notice received once or more under one event id, /ready truthful through every fault"
    exit 0
fi
printf 'FAIL: %s\n' "${reasons[@]}"
exit 1
