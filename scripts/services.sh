#!/usr/bin/env bash
# Test services owned by the Kerbside test suite.
#
# Three instances, separate from the machine's own PostgreSQL (5432) and
# Mosquitto (1883), so that integration tests may stop and start them to
# simulate outages without disturbing anything else:
#
#   pg15  plain PostgreSQL 15               127.0.0.1:54315
#   tsdb  PostgreSQL 17 + TimescaleDB       127.0.0.1:54317  (Debian 13 root made with debootstrap)
#   mqtt  Mosquitto with a tuned config     127.0.0.1:18830
#
# a fourth, small one for the TLS tests:
#
#   pgtls PostgreSQL 15, TLS connections only  127.0.0.1:54316 and 127.0.0.2:54316
#         (server certificate for localhost/127.0.0.1 from a CA made with openssl on first
#         start and renewed before it expires, under $KERBSIDE_SERVICES_DIR/pgtls/certs)
#
# and, on demand, a Prometheus (Debian's package) that scrapes a Kerbside the
# test started, with Kerbside's alerting rules loaded:
#
#   prom  Prometheus                        127.0.0.1:19090
#
# See docs/decisions/001-test-services.md for the reasons.
#
# Usage: scripts/services.sh <command>
#   up                      install what is missing (Chromium and chromedriver for the browser
#                           tests too), start all four (idempotent)
#   down                    stop all four
#   status                  tell which run (exit 0 when all run, 3 otherwise)
#   pg-start | pg-stop      one service only; quick, never re-installs what is there
#   pg-freeze | pg-thaw     stop every process of pg15 with SIGSTOP / resume them with SIGCONT:
#                           a database that keeps its connections open and does not answer
#   pgtls-start | pgtls-stop
#   tsdb-start | tsdb-stop
#   mqtt-start | mqtt-stop
#   prom-start [HOST:PORT]  (re)start Prometheus scraping Kerbside's /metrics at HOST:PORT
#                           (default $KERBSIDE_PROM_TARGET, else 127.0.0.1:8080); 'up' only
#                           installs it, 'down' stops it, 'status' reports it
#   prom-stop
#   env                     print export lines for the test settings:
#                             eval "$(scripts/services.sh env)"
#
# Settings (environment):
#   KERBSIDE_SERVICES_DIR   state: data dirs, logs, configs  (default /var/tmp/kerbside-services)
#   KERBSIDE_TSDB_ROOT      Debian 13 root for TimescaleDB    (default /var/cache/kerbside/trixie-timescaledb)
#   KERBSIDE_DEBIAN_MIRROR  mirror for debootstrap             (default http://deb.debian.org/debian)
#   KERBSIDE_SERVICES_WAIT  seconds to wait for a start/stop   (default 30)
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
STATE="$(realpath -m "${KERBSIDE_SERVICES_DIR:-/var/tmp/kerbside-services}")"
ROOT="$(realpath -m "${KERBSIDE_TSDB_ROOT:-/var/cache/kerbside/trixie-timescaledb}")"
MIRROR="${KERBSIDE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
WAIT="${KERBSIDE_SERVICES_WAIT:-30}"

HOST=127.0.0.1
PG15_PORT=54315
TSDB_PORT=54317
MQTT_PORT=18830
# A second listener that requires a login, for the credential tests. Test-only credentials.
MQTT_AUTH_PORT=18831
MQTT_TEST_USER=kerbside-it
MQTT_TEST_PASSWORD=kerbside-it-password

PG15_BIN=/usr/lib/postgresql/15/bin
PG15_DATA="$STATE/pg15"
PG15_LOG="$STATE/pg15.log"
PG15_SOCK="$STATE/sock15"

# The TLS-only PostgreSQL 15. It also listens on a second loopback address that its
# certificate does not name, so that a test can see sslmode=verify-full refuse it.
PGTLS_PORT=54316
PGTLS_OTHER_HOST=127.0.0.2
PGTLS_DIR="$STATE/pgtls"
PGTLS_DATA="$PGTLS_DIR/data"
PGTLS_CERTS="$PGTLS_DIR/certs"
PGTLS_LOG="$PGTLS_DIR/pgtls.log"
PGTLS_SOCK="$PGTLS_DIR/sock"

# Paths as seen inside the TimescaleDB root (prefix with $ROOT on the host).
PG17_BIN=/usr/lib/postgresql/17/bin
TSDB_DATA=/var/lib/kerbside/pg17
TSDB_LOG=/var/lib/kerbside/pg17.log

MQ_DIR="$STATE/mosquitto"
MQ_CONF="$MQ_DIR/mosquitto.conf"
MQ_PID="$MQ_DIR/mosquitto.pid"
MQ_LOG="$MQ_DIR/mosquitto.log"

PROM_PORT=19090
PROM_DIR="$STATE/prometheus"
PROM_CONF="$PROM_DIR/prometheus.yml"
PROM_PID="$PROM_DIR/prometheus.pid"
PROM_LOG="$PROM_DIR/prometheus.log"
# Kerbside's alerting rules, loaded by the test Prometheus so that a broken rule shows at once.
PROM_RULES="$(dirname "$(dirname "$SELF")")/grafana/prometheus/kerbside-alerts.yml"

# Connection settings of the caller must not redirect our own checks.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE \
      PGOPTIONS PGPASSWORD PGPASSFILE PGSSLMODE PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS

log() { echo "services.sh: $*" >&2; }
die() { echo "services.sh: ERROR: $*" >&2; exit 1; }

case "$STATE$ROOT" in
    *[[:space:]]*) die "KERBSIDE_SERVICES_DIR and KERBSIDE_TSDB_ROOT must not contain white space" ;;
esac
[[ "$WAIT" =~ ^[0-9]+$ ]] || die "KERBSIDE_SERVICES_WAIT must be a number of seconds"

# ---------------------------------------------------------------- helpers

need_root() {
    [ "$(id -u)" = 0 ] || die "'$1' must run as root (it uses runuser, chroot and mount)"
}

# Serialise commands that change state. A nested call (from 'down') inherits
# the lock through KERBSIDE_SERVICES_LOCKED.
take_lock() {
    mkdir -p "$STATE"
    chmod 755 "$STATE"
    [ "${KERBSIDE_SERVICES_LOCKED:-}" = 1 ] && return 0
    exec 9>>"$STATE/.lock"
    flock -w 900 9 || die "another scripts/services.sh has held $STATE/.lock for 15 minutes"
    export KERBSIDE_SERVICES_LOCKED=1
}

# wait_for SECONDS COMMAND...: true as soon as COMMAND succeeds.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    while :; do
        "$@" && return 0
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }
port_closed() { ! port_open "$1"; }

pg_accepting() { "$PG15_BIN/pg_isready" -q -h "$HOST" -p "$1" -t 2; }
# pg_isready exits 2 when nothing answers at all.
pg_silent() {
    local rc=0
    "$PG15_BIN/pg_isready" -q -h "$HOST" -p "$1" -t 2 || rc=$?
    [ "$rc" = 2 ]
}

psql_admin() { # PORT SQL
    PGCONNECT_TIMEOUT=5 PGOPTIONS='-c client_min_messages=warning' \
        "$PG15_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$HOST" -p "$1" -U postgres -d postgres -c "$2"
}

is_mounted() { awk -v p="$1" '$2 == p { found = 1 } END { exit !found }' /proc/mounts; }

mounts_below() { awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -ru; }

# Unmount everything at or below DIR, deepest first (a path may carry
# several stacked mounts, hence the passes).
release_mounts() {
    local dir="$1" m pass
    for pass in 1 2 3 4 5; do
        [ -n "$(mounts_below "$dir")" ] || return 0
        while read -r m; do
            umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
        done < <(mounts_below "$dir")
    done
    [ -z "$(mounts_below "$dir")" ] || die "could not unmount everything below $dir (pass $pass); see /proc/mounts"
}

# Remove DIR, never crossing into a mounted file system.
remove_tree() {
    [ -e "$1" ] || return 0
    release_mounts "$1"
    rm -rf --one-file-system "$1"
}

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install() {
    local missing=() p
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    [ "${#missing[@]}" -eq 0 ] && return 0
    mkdir -p "$STATE"
    log "installing ${missing[*]} (log: $STATE/apt.log)"
    {
        DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    } >"$STATE/apt.log" 2>&1 </dev/null 9>&- || die "apt-get install ${missing[*]} failed; see $STATE/apt.log"
}

# Replace FILE with the text on stdin if it differs; true when it changed.
write_if_changed() {
    local file="$1" tmp
    tmp="$(mktemp "$file.XXXXXX")"
    cat >"$tmp"
    if [ -f "$file" ] && cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
        return 1
    fi
    chmod 644 "$tmp"
    mv -f "$tmp" "$file"
}

hba_conf() {
    cat <<'EOF'
# Written by scripts/services.sh; test instance only.
# The superuser postgres needs no password; every other role needs its own.
# TYPE  DATABASE  USER      ADDRESS         METHOD
local   all       postgres                  trust
local   all       all                       scram-sha-256
host    all       postgres  127.0.0.1/32    trust
host    all       all       127.0.0.1/32    scram-sha-256
EOF
}

# True if PID exists and is neither a zombie nor exiting (a killed daemon may
# linger as a zombie until init reaps it).
pid_alive() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    case "${stat%% *}" in Z | X | x) return 1 ;; esac
    [ -n "$(tr -d '\0' <"/proc/$1/cmdline" 2>/dev/null)" ]
}

pid_gone() { [ ! -e "/proc/$1" ]; }

# Print the postmaster pid of DATADIR (host path) if it runs; CMD_DATADIR is
# the -D value on its command line. With SOCKET_LOCK (host path of the
# server's .s.PGSQL.<port>.lock), clean up after a crashed server: wait for
# the dead postmaster to be reaped, then remove its stale lock files (only
# while holding our lock, right before a start).
postmaster_pid() { # HOST_DATADIR CMD_DATADIR [SOCKET_LOCK]
    local pidfile="$1/postmaster.pid" pid comm f fpid
    [ -f "$pidfile" ] || return 1
    pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" && comm="$(cat "/proc/$pid/comm" 2>/dev/null)" && [ "$comm" = postgres ]; then
        if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "$2"; then
            echo "$pid"
            return 0
        fi
        die "$pidfile names pid $pid, a postgres process for another data directory; remove the file by hand if it is stale"
    fi
    [ -n "${3:-}" ] || return 1
    # A killed postmaster stays a zombie until init reaps it, and PostgreSQL
    # takes a zombie for a live owner of its lock files.
    [[ "$pid" =~ ^[0-9]+$ ]] && wait_for 5 pid_gone "$pid"
    for f in "$pidfile" "$3"; do
        [ -f "$f" ] || continue
        fpid="$(head -n1 "$f" 2>/dev/null || true)"
        if ! [[ "$fpid" =~ ^-?[0-9]+$ ]] || ! pid_alive "${fpid#-}"; then
            log "removing stale $f (pid ${fpid:-?} is gone)"
            rm -f "$f"
        fi
    done
    return 1
}

# ---------------------------------------------------------------- pg15

pg15_installed() { [ -x "$PG15_BIN/postgres" ] && [ -x "$PG15_BIN/pg_ctl" ] && [ -x "$PG15_BIN/initdb" ] && [ -x "$PG15_BIN/psql" ]; }

ensure_pg15_installed() {
    pg15_installed && return 0
    apt_install postgresql-15 postgresql-client-15
    pg15_installed || die "postgresql-15 is installed but $PG15_BIN is incomplete"
}

as_postgres() { runuser -u postgres -- "$@"; }

pg15_init() {
    [ -s "$PG15_DATA/PG_VERSION" ] && return 0
    as_postgres test -x "$STATE" ||
        die "user postgres cannot enter $STATE; choose a KERBSIDE_SERVICES_DIR whose parents are world-searchable"
    local tmp="$PG15_DATA.init"
    rm -rf "$tmp"
    install -d -o postgres -g postgres -m 700 "$tmp"
    log "initialising PostgreSQL 15 cluster in $PG15_DATA"
    as_postgres "$PG15_BIN/initdb" -D "$tmp" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$STATE/pg15-initdb.log" 2>&1 </dev/null || die "initdb failed; see $STATE/pg15-initdb.log"
    hba_conf >"$tmp/pg_hba.conf"
    chown postgres:postgres "$tmp/pg_hba.conf"
    rm -rf "$PG15_DATA"
    mv "$tmp" "$PG15_DATA"
}

pg15_start() {
    need_root pg-start
    ensure_pg15_installed
    pg15_init
    install -d -o postgres -g postgres -m 755 "$PG15_SOCK"
    local hba_changed=0
    if hba_conf | write_if_changed "$PG15_DATA/pg_hba.conf"; then hba_changed=1; fi
    chown postgres:postgres "$PG15_DATA/pg_hba.conf"
    if postmaster_pid "$PG15_DATA" "$PG15_DATA" "$PG15_SOCK/.s.PGSQL.$PG15_PORT.lock" >/dev/null; then
        [ "$hba_changed" = 1 ] && as_postgres "$PG15_BIN/pg_ctl" -D "$PG15_DATA" reload >/dev/null 9>&-
    else
        pg_silent "$PG15_PORT" || die "port $PG15_PORT is already taken by another server; cannot start pg15"
        touch "$PG15_LOG"
        chown postgres:postgres "$PG15_LOG"
        local out
        out="$(as_postgres "$PG15_BIN/pg_ctl" -D "$PG15_DATA" -l "$PG15_LOG" -w -t "$WAIT" \
            -o "-p $PG15_PORT -c listen_addresses=$HOST -k $PG15_SOCK -c max_connections=200 -c fsync=off -c synchronous_commit=on" \
            start 2>&1 </dev/null 9>&-)" || die "pg15 did not start: $out; see $PG15_LOG"
    fi
    wait_for "$WAIT" pg_accepting "$PG15_PORT" ||
        die "pg15 does not accept connections on $HOST:$PG15_PORT; see $PG15_LOG"
}

pg15_stop() {
    need_root pg-stop
    pg15_installed || return 0
    if postmaster_pid "$PG15_DATA" "$PG15_DATA" >/dev/null; then
        local out
        out="$(as_postgres "$PG15_BIN/pg_ctl" -D "$PG15_DATA" -m fast -w -t "$WAIT" stop 2>&1 </dev/null)" ||
            die "pg15 did not stop: $out; see $PG15_LOG"
    fi
    wait_for "$WAIT" pg_silent "$PG15_PORT" || die "something still answers on $HOST:$PG15_PORT after stopping pg15"
}

# The postmaster and every process it started (each backend is its own process group, so a
# signal to the postmaster's group would miss them).
pg15_processes() {
    local pid
    pid="$(postmaster_pid "$PG15_DATA" "$PG15_DATA")" || die "pg15 is not running"
    echo "$pid"
    pgrep -P "$pid" || true
}

pg15_freeze() {
    local pids
    pids="$(pg15_processes)"
    # shellcheck disable=SC2086 # one pid per word
    kill -STOP $pids
    log "pg15 frozen: $(echo $pids | wc -w) processes stopped"
}

pg15_thaw() {
    local pids
    pids="$(pg15_processes)"
    # shellcheck disable=SC2086
    kill -CONT $pids
    log "pg15 thawed"
}

pg15_status() {
    if pg15_installed && pg_accepting "$PG15_PORT"; then
        local v
        v="$(psql_admin "$PG15_PORT" 'SHOW server_version' 2>/dev/null || echo '?')"
        echo "pg15  running  $HOST:$PG15_PORT  PostgreSQL $v, data $PG15_DATA, log $PG15_LOG"
        return 0
    fi
    echo "pg15  stopped  $HOST:$PG15_PORT"
    return 1
}

# ---------------------------------------------------------------- pgtls

pgtls_hba() {
    cat <<'EOF'
# Written by scripts/services.sh; test instance only. TLS connections only.
# TYPE     DATABASE  USER      ADDRESS         METHOD
local      all       postgres                  trust
hostssl    all       postgres  127.0.0.0/8     trust
hostssl    all       all       127.0.0.0/8     scram-sha-256
EOF
}

# Makes the test CA and the server certificate (localhost, 127.0.0.1) unless valid ones exist
# for another day; true when it made new ones.
pgtls_certs() {
    local dir="$PGTLS_CERTS"
    if [ -s "$dir/ca.pem" ] && [ -s "$dir/server.pem" ] && [ -s "$dir/server.key" ] &&
        openssl x509 -checkend 86400 -noout -in "$dir/server.pem" >/dev/null 2>&1; then
        return 1
    fi
    command -v openssl >/dev/null || apt_install openssl
    local tmp
    tmp="$(mktemp -d "$PGTLS_DIR/certs.XXXXXX")"
    (
        cd "$tmp"
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
        printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n' >ca.ext
        openssl req -new -key ca.key -subj "/CN=Kerbside pgtls test CA" -out ca.csr
        openssl x509 -req -in ca.csr -signkey ca.key -days 30 -extfile ca.ext -out ca.pem
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key
        printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' >server.ext
        openssl req -new -key server.key -subj "/CN=localhost" -out server.csr
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
            -days 30 -extfile server.ext -out server.pem
        rm -f ./*.csr ./*.ext
    ) >"$PGTLS_DIR/openssl.log" 2>&1 || die "making the pgtls certificates failed; see $PGTLS_DIR/openssl.log"
    chmod 644 "$tmp/ca.pem" "$tmp/server.pem"
    chmod 600 "$tmp/ca.key" "$tmp/server.key"
    chown postgres:postgres "$tmp/server.key" "$tmp/server.pem"
    chmod 755 "$tmp"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    log "made the pgtls test CA and server certificate in $dir"
}

pgtls_init() {
    [ -s "$PGTLS_DATA/PG_VERSION" ] && return 0
    as_postgres test -x "$PGTLS_DIR" ||
        die "user postgres cannot enter $PGTLS_DIR; choose a KERBSIDE_SERVICES_DIR whose parents are world-searchable"
    local tmp="$PGTLS_DATA.init"
    rm -rf "$tmp"
    install -d -o postgres -g postgres -m 700 "$tmp"
    log "initialising the TLS-only PostgreSQL 15 cluster in $PGTLS_DATA"
    as_postgres "$PG15_BIN/initdb" -D "$tmp" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$PGTLS_DIR/initdb.log" 2>&1 </dev/null || die "initdb failed; see $PGTLS_DIR/initdb.log"
    pgtls_hba >"$tmp/pg_hba.conf"
    chown postgres:postgres "$tmp/pg_hba.conf"
    rm -rf "$PGTLS_DATA"
    mv "$tmp" "$PGTLS_DATA"
}

pgtls_start() {
    need_root pgtls-start
    ensure_pg15_installed
    install -d -m 755 "$PGTLS_DIR"
    local changed=0
    if pgtls_certs; then changed=1; fi
    pgtls_init
    install -d -o postgres -g postgres -m 755 "$PGTLS_SOCK"
    if pgtls_hba | write_if_changed "$PGTLS_DATA/pg_hba.conf"; then changed=1; fi
    chown postgres:postgres "$PGTLS_DATA/pg_hba.conf"
    if postmaster_pid "$PGTLS_DATA" "$PGTLS_DATA" "$PGTLS_SOCK/.s.PGSQL.$PGTLS_PORT.lock" >/dev/null; then
        # a reload also reads renewed certificate files
        [ "$changed" = 1 ] && as_postgres "$PG15_BIN/pg_ctl" -D "$PGTLS_DATA" reload >/dev/null 9>&-
    else
        pg_silent "$PGTLS_PORT" || die "port $PGTLS_PORT is already taken by another server; cannot start pgtls"
        touch "$PGTLS_LOG"
        chown postgres:postgres "$PGTLS_LOG"
        local out
        out="$(as_postgres "$PG15_BIN/pg_ctl" -D "$PGTLS_DATA" -l "$PGTLS_LOG" -w -t "$WAIT" \
            -o "-p $PGTLS_PORT -c listen_addresses=$HOST,$PGTLS_OTHER_HOST -k $PGTLS_SOCK -c max_connections=50 -c fsync=off -c ssl=on -c ssl_cert_file=$PGTLS_CERTS/server.pem -c ssl_key_file=$PGTLS_CERTS/server.key" \
            start 2>&1 </dev/null 9>&-)" || die "pgtls did not start: $out; see $PGTLS_LOG"
    fi
    wait_for "$WAIT" pg_accepting "$PGTLS_PORT" ||
        die "pgtls does not accept connections on $HOST:$PGTLS_PORT; see $PGTLS_LOG"
}

pgtls_stop() {
    need_root pgtls-stop
    pg15_installed || return 0
    if [ -d "$PGTLS_DATA" ] && postmaster_pid "$PGTLS_DATA" "$PGTLS_DATA" >/dev/null; then
        local out
        out="$(as_postgres "$PG15_BIN/pg_ctl" -D "$PGTLS_DATA" -m fast -w -t "$WAIT" stop 2>&1 </dev/null)" ||
            die "pgtls did not stop: $out; see $PGTLS_LOG"
    fi
    wait_for "$WAIT" pg_silent "$PGTLS_PORT" || die "something still answers on $HOST:$PGTLS_PORT after stopping pgtls"
}

pgtls_status() {
    if pg15_installed && pg_accepting "$PGTLS_PORT"; then
        echo "pgtls running  $HOST:$PGTLS_PORT  TLS only, CA $PGTLS_CERTS/ca.pem, data $PGTLS_DATA, log $PGTLS_LOG"
        return 0
    fi
    echo "pgtls stopped  $HOST:$PGTLS_PORT"
    return 1
}

# ---------------------------------------------------------------- tsdb

root_complete() { # DIR
    [ -x "$1$PG17_BIN/postgres" ] && [ -x "$1$PG17_BIN/initdb" ] && [ -x "$1$PG17_BIN/pg_ctl" ] &&
        [ -f "$1/usr/share/postgresql/17/extension/timescaledb.control" ] &&
        compgen -G "$1/usr/lib/postgresql/17/lib/timescaledb*.so" >/dev/null &&
        grep -q '^postgres:' "$1/etc/passwd"
}

tsdb_build_root() {
    root_complete "$ROOT" && return 0
    apt_install debootstrap debian-archive-keyring
    local tmp="$ROOT.partial" t0=$SECONDS
    remove_tree "$tmp"
    mkdir -p "$(dirname "$ROOT")"
    log "building the Debian 13 TimescaleDB root in $ROOT (about 1 GB, a minute or two; log: $STATE/debootstrap.log)"
    if ! debootstrap --variant=minbase --include=postgresql-17,postgresql-17-timescaledb,locales-all \
        trixie "$tmp" "$MIRROR" >"$STATE/debootstrap.log" 2>&1 </dev/null 9>&-; then
        release_mounts "$tmp"
        die "debootstrap failed; see $STATE/debootstrap.log and $tmp/debootstrap/debootstrap.log"
    fi
    release_mounts "$tmp"
    root_complete "$tmp" || die "debootstrap finished but $tmp lacks PostgreSQL 17 or TimescaleDB; see $STATE/debootstrap.log"
    # Downloaded packages are not needed any more.
    rm -f "$tmp"/var/cache/apt/archives/*.deb
    if [ -e "$ROOT" ]; then
        log "replacing the incomplete root $ROOT"
        tsdb_stop_quiet
        remove_tree "$ROOT"
    fi
    mv "$tmp" "$ROOT"
    log "TimescaleDB root ready in $((SECONDS - t0)) s"
}

tsdb_mount() {
    if ! is_mounted "$ROOT/proc"; then
        mount -t proc proc "$ROOT/proc" || die "cannot mount proc on $ROOT/proc"
    fi
    if ! is_mounted "$ROOT/dev"; then
        mount --rbind /dev "$ROOT/dev" || die "cannot bind-mount /dev on $ROOT/dev"
        # Unmounting later must not propagate back to the host's /dev.
        mount --make-rslave "$ROOT/dev"
    fi
}

tsdb_ids() { # uid:gid of postgres inside the root
    awk -F: '$1 == "postgres" { print $3 ":" $4; found = 1 } END { exit !found }' "$ROOT/etc/passwd"
}

# Run a command inside the root as its postgres user.
in_root_pg() {
    local ids
    ids="$(tsdb_ids)" || die "no postgres user in $ROOT/etc/passwd"
    chroot --userspec="$ids" --groups="${ids#*:}" "$ROOT" /usr/bin/env -i \
        HOME=/var/lib/postgresql LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        PATH="$PG17_BIN:/usr/local/bin:/usr/bin:/bin" "$@"
}

tsdb_init() {
    [ -s "$ROOT$TSDB_DATA/PG_VERSION" ] && return 0
    local ids tmp="$TSDB_DATA.init"
    ids="$(tsdb_ids)" || die "no postgres user in $ROOT/etc/passwd"
    install -d -o "${ids%:*}" -g "${ids#*:}" -m 755 "$ROOT/var/lib/kerbside"
    rm -rf "${ROOT:?}$tmp"
    install -d -o "${ids%:*}" -g "${ids#*:}" -m 700 "$ROOT$tmp"
    log "initialising PostgreSQL 17 cluster in $ROOT$TSDB_DATA"
    in_root_pg initdb -D "$tmp" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$STATE/tsdb-initdb.log" 2>&1 </dev/null || die "initdb in $ROOT failed; see $STATE/tsdb-initdb.log"
    hba_conf >"$ROOT$tmp/pg_hba.conf"
    chown "$ids" "$ROOT$tmp/pg_hba.conf"
    rm -rf "${ROOT:?}$TSDB_DATA"
    mv "$ROOT$tmp" "$ROOT$TSDB_DATA"
}

tsdb_start() {
    need_root tsdb-start
    ensure_pg15_installed # host psql and pg_isready
    mkdir -p "$STATE"
    tsdb_build_root
    tsdb_mount
    tsdb_init
    local ids hba_changed=0
    ids="$(tsdb_ids)"
    if hba_conf | write_if_changed "$ROOT$TSDB_DATA/pg_hba.conf"; then hba_changed=1; fi
    chown "$ids" "$ROOT$TSDB_DATA/pg_hba.conf"
    if postmaster_pid "$ROOT$TSDB_DATA" "$TSDB_DATA" "$ROOT/tmp/.s.PGSQL.$TSDB_PORT.lock" >/dev/null; then
        [ "$hba_changed" = 1 ] && in_root_pg pg_ctl -D "$TSDB_DATA" reload >/dev/null 9>&-
    else
        pg_silent "$TSDB_PORT" || die "port $TSDB_PORT is already taken by another server; cannot start tsdb"
        touch "$ROOT$TSDB_LOG"
        chown "$ids" "$ROOT$TSDB_LOG"
        local out
        out="$(in_root_pg pg_ctl -D "$TSDB_DATA" -l "$TSDB_LOG" -w -t "$WAIT" \
            -o "-p $TSDB_PORT -c listen_addresses=$HOST -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off -c max_connections=200 -k /tmp" \
            start 2>&1 </dev/null 9>&-)" || die "tsdb did not start: $out; see $ROOT$TSDB_LOG"
    fi
    wait_for "$WAIT" pg_accepting "$TSDB_PORT" ||
        die "tsdb does not accept connections on $HOST:$TSDB_PORT; see $ROOT$TSDB_LOG"
    local out
    out="$(psql_admin "$TSDB_PORT" 'CREATE EXTENSION IF NOT EXISTS timescaledb' 2>&1)" ||
        die "CREATE EXTENSION timescaledb failed on $HOST:$TSDB_PORT: $out; see $ROOT$TSDB_LOG"
}

tsdb_stop_quiet() {
    [ -d "$ROOT$TSDB_DATA" ] || return 0
    if postmaster_pid "$ROOT$TSDB_DATA" "$TSDB_DATA" >/dev/null; then
        local out
        out="$(in_root_pg pg_ctl -D "$TSDB_DATA" -m fast -w -t "$WAIT" stop 2>&1 </dev/null)" ||
            die "tsdb did not stop: $out; see $ROOT$TSDB_LOG"
    fi
}

tsdb_stop() {
    need_root tsdb-stop
    tsdb_stop_quiet
    wait_for "$WAIT" pg_silent "$TSDB_PORT" || die "something still answers on $HOST:$TSDB_PORT after stopping tsdb"
}

tsdb_status() {
    if pg15_installed && pg_accepting "$TSDB_PORT"; then
        local info
        info="$(psql_admin "$TSDB_PORT" "SELECT 'PostgreSQL ' || current_setting('server_version') || ', timescaledb ' || coalesce((SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'), 'not created') || ', timescaledb.license ' || current_setting('timescaledb.license', true)" 2>/dev/null || echo '?')"
        echo "tsdb  running  $HOST:$TSDB_PORT  $info, log $ROOT$TSDB_LOG"
        return 0
    fi
    if root_complete "$ROOT"; then
        echo "tsdb  stopped  $HOST:$TSDB_PORT"
    else
        echo "tsdb  stopped  $HOST:$TSDB_PORT  (root $ROOT not built yet)"
    fi
    return 1
}

# ---------------------------------------------------------------- mqtt

mq_installed() { [ -x /usr/sbin/mosquitto ] && command -v mosquitto_pub >/dev/null && command -v mosquitto_sub >/dev/null; }

ensure_mq_installed() {
    mq_installed && return 0
    apt_install mosquitto mosquitto-clients
    mq_installed || die "mosquitto is installed but /usr/sbin/mosquitto or the clients are missing"
}

mq_conf() {
    cat <<EOF
# Written by scripts/services.sh; test broker only. Why these values:
# docs/decisions/001-test-services.md
pid_file $MQ_PID
# Test-only broker: keep root so the state directory needs no chown.
user root

per_listener_settings true

listener $MQTT_PORT $HOST
allow_anonymous true

# Clients must log in here (user $MQTT_TEST_USER); tests check how a wrong password is handled.
listener $MQTT_AUTH_PORT $HOST
allow_anonymous false
password_file $MQ_DIR/passwd

# Persistent sessions (clean session false) and their QoS 1 queues survive
# a broker restart: mosquitto saves them on a clean shutdown (mqtt-stop) and
# every five minutes. Saving more often rewrites the whole store each time,
# which under a backlog of queued readings costs more than the broker's work.
persistence true
persistence_location $MQ_DIR/data/
autosave_interval 300

# Defaults would drop QoS 1 messages queued for an offline persistent
# subscriber beyond 1000 and allow only 20 deliveries in flight.
max_queued_messages 10000000
max_queued_bytes 0
max_inflight_messages 0
max_inflight_bytes 0
# Sessions of clients that never come back are forgotten after an hour, so
# leftovers of earlier runs do not collect messages for ever.
persistent_client_expiration 1h

# Packet and payload size stay at mosquitto's defaults (no limit besides the
# MQTT maximum): tests publish payloads larger than 64 KiB.

log_dest file $MQ_LOG
log_type error
log_type warning
log_type notice
log_timestamp_format %Y-%m-%dT%H:%M:%S
EOF
}

mq_pid() {
    local pid comm
    [ -f "$MQ_PID" ] || return 1
    pid="$(head -n1 "$MQ_PID" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
    [ "$comm" = mosquitto ] || return 1
    tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "$MQ_CONF" || return 1
    echo "$pid"
}

mq_version() { # prints the broker's version; fails unless a full MQTT round trip works
    # shellcheck disable=SC2016 # a literal MQTT topic
    timeout 5 mosquitto_sub -h "$HOST" -p "$MQTT_PORT" -t '$SYS/broker/version' -C 1 -W 3 2>/dev/null
}
mq_ready() { mq_version >/dev/null; }

mq_start() {
    need_root mqtt-start
    ensure_mq_installed
    mkdir -p "$MQ_DIR/data"
    if [ ! -s "$MQ_DIR/passwd" ]; then
        mosquitto_passwd -c -b "$MQ_DIR/passwd" "$MQTT_TEST_USER" "$MQTT_TEST_PASSWORD" >/dev/null ||
            die "cannot write $MQ_DIR/passwd"
    fi
    local changed=0
    if mq_conf | write_if_changed "$MQ_CONF"; then changed=1; fi
    if [ "$changed" = 1 ] && mq_pid >/dev/null; then
        log "mosquitto config changed; restarting the broker"
        mq_stop
    fi
    if ! mq_pid >/dev/null; then
        port_closed "$MQTT_PORT" || die "port $MQTT_PORT is already taken by another process; cannot start mqtt"
        rm -f "$MQ_PID"
        /usr/sbin/mosquitto -c "$MQ_CONF" -d </dev/null >>"$MQ_DIR/mosquitto.stderr" 2>&1 9>&- ||
            die "mosquitto did not start; see $MQ_LOG and $MQ_DIR/mosquitto.stderr"
    fi
    wait_for "$WAIT" mq_ready ||
        die "mosquitto does not accept MQTT connections on $HOST:$MQTT_PORT; see $MQ_LOG and $MQ_DIR/mosquitto.stderr"
}

mq_gone() { # PID
    ! pid_alive "$1" && port_closed "$MQTT_PORT"
}

mq_stop() {
    need_root mqtt-stop
    local pid
    if pid="$(mq_pid)"; then
        kill -TERM "$pid" 2>/dev/null || true
        wait_for "$WAIT" mq_gone "$pid" || die "mosquitto (pid $pid) did not stop within $WAIT s; see $MQ_LOG"
    fi
    port_closed "$MQTT_PORT" || die "something still listens on $HOST:$MQTT_PORT after stopping mqtt"
}

mq_status() {
    local v
    if v="$(mq_version)"; then
        echo "mqtt  running  $HOST:$MQTT_PORT  $v, config $MQ_CONF, log $MQ_LOG"
        return 0
    fi
    echo "mqtt  stopped  $HOST:$MQTT_PORT"
    return 1
}

# ---------------------------------------------------------------- prom

prom_installed() { [ -x /usr/bin/prometheus ] && command -v promtool >/dev/null; }

ensure_prom_installed() {
    prom_installed && return 0
    apt_install prometheus
    prom_installed || die "prometheus is installed but /usr/bin/prometheus or promtool is missing"
}

prom_conf() { # TARGET
    cat <<EOF
# Written by scripts/services.sh; test Prometheus only.
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
EOF
    if [ -f "$PROM_RULES" ]; then
        printf 'rule_files:\n  - %s\n' "$PROM_RULES"
    fi
    cat <<EOF
scrape_configs:
  - job_name: kerbside
    metrics_path: /metrics
    static_configs:
      - targets: ['$1']
EOF
}

prom_pid() {
    local pid comm
    [ -f "$PROM_PID" ] || return 1
    pid="$(head -n1 "$PROM_PID" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
    [ "$comm" = prometheus ] || return 1
    tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "--config.file=$PROM_CONF" || return 1
    echo "$pid"
}

prom_http() { # METHOD PATH: prints the status line of the answer
    # shellcheck disable=SC2016 # expanded by the inner shell
    timeout 5 bash -c 'exec 3<>"/dev/tcp/$2/$3"
        printf "%s %s HTTP/1.0\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n" "$0" "$1" >&3
        head -n1 <&3' "$1" "$2" "$HOST" "$PROM_PORT" 2>/dev/null
}
prom_ready() { prom_http GET /-/ready | grep -q ' 200'; }

prom_start() { # [TARGET]
    need_root prom-start
    ensure_prom_installed
    local target="${1:-${KERBSIDE_PROM_TARGET:-$HOST:8080}}" changed=0
    [[ "$target" =~ ^[A-Za-z0-9.-]+:[0-9]{1,5}$ ]] || die "prom-start: target must be HOST:PORT, got '$target'"
    mkdir -p "$PROM_DIR/data"
    if prom_conf "$target" | write_if_changed "$PROM_CONF"; then changed=1; fi
    if prom_pid >/dev/null; then
        if [ "$changed" = 1 ]; then
            prom_http POST /-/reload | grep -q ' 200' || die "Prometheus did not reload $PROM_CONF; see $PROM_LOG"
        fi
    else
        port_closed "$PROM_PORT" || die "port $PROM_PORT is already taken by another process; cannot start prom"
        rm -f "$PROM_PID"
        setsid /usr/bin/prometheus --config.file="$PROM_CONF" --storage.tsdb.path="$PROM_DIR/data" \
            --storage.tsdb.retention.time=1d --web.listen-address="$HOST:$PROM_PORT" --web.enable-lifecycle \
            </dev/null >>"$PROM_LOG" 2>&1 9>&- &
        echo $! >"$PROM_PID"
    fi
    wait_for "$WAIT" prom_ready || die "Prometheus does not answer on $HOST:$PROM_PORT; see $PROM_LOG"
}

prom_gone() { # PID
    ! pid_alive "$1" && port_closed "$PROM_PORT"
}

prom_stop() {
    need_root prom-stop
    local pid
    if pid="$(prom_pid)"; then
        kill -TERM "$pid" 2>/dev/null || true
        wait_for "$WAIT" prom_gone "$pid" || die "Prometheus (pid $pid) did not stop within $WAIT s; see $PROM_LOG"
    fi
    rm -f "$PROM_PID"
}

prom_status() {
    if prom_pid >/dev/null && prom_ready; then
        local target
        target="$(sed -n "s/^      - targets: \['\(.*\)'\]$/\1/p" "$PROM_CONF" 2>/dev/null)"
        echo "prom  running  $HOST:$PROM_PORT  $(/usr/bin/prometheus --version 2>&1 | head -n1 | cut -d' ' -f1-3), scraping ${target:-?}, log $PROM_LOG"
        return 0
    fi
    echo "prom  stopped  $HOST:$PROM_PORT  (started on demand: prom-start HOST:PORT)"
    return 1
}

# ---------------------------------------------------------------- commands

print_env() {
    printf 'export %s=%q\n' \
        KERBSIDE_TEST_PG_URL "jdbc:postgresql://$HOST:$PG15_PORT/postgres" \
        KERBSIDE_TEST_TSDB_URL "jdbc:postgresql://$HOST:$TSDB_PORT/postgres" \
        KERBSIDE_TEST_DB_ADMIN_USER postgres \
        KERBSIDE_TEST_MQTT_URL "tcp://$HOST:$MQTT_PORT" \
        KERBSIDE_TEST_MQTT_AUTH_URL "tcp://$HOST:$MQTT_AUTH_PORT" \
        KERBSIDE_TEST_MQTT_USER "$MQTT_TEST_USER" \
        KERBSIDE_TEST_MQTT_PASSWORD "$MQTT_TEST_PASSWORD" \
        KERBSIDE_TEST_PGTLS_URL "jdbc:postgresql://$HOST:$PGTLS_PORT/postgres" \
        KERBSIDE_TEST_PGTLS_CA "$PGTLS_CERTS/ca.pem" \
        KERBSIDE_TEST_PGTLS_OTHER_HOST "$PGTLS_OTHER_HOST" \
        KERBSIDE_TEST_PROMETHEUS_URL "http://$HOST:$PROM_PORT" \
        KERBSIDE_TEST_SERVICES "$SELF"
}

status_all() {
    local rc=0
    pg15_status || rc=3
    pgtls_status || rc=3
    tsdb_status || rc=3
    mq_status || rc=3
    # Prometheus runs only while a test needs it; it does not count.
    prom_status || true
    return "$rc"
}

usage() {
    sed -n '/^# Usage:/,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//'
}

cmd="${1:-}"
case "$cmd" in
    up)
        need_root up
        take_lock
        ensure_pg15_installed
        ensure_mq_installed
        ensure_prom_installed
        command -v debootstrap >/dev/null || apt_install debootstrap debian-archive-keyring
        # the crew page's browser tests drive Debian's Chromium through its own chromedriver
        apt_install chromium chromium-driver
        pg15_start
        pgtls_start
        tsdb_start
        mq_start
        status_all
        ;;
    down)
        need_root down
        take_lock
        rc=0
        for c in prom-stop mqtt-stop tsdb-stop pgtls-stop pg-stop; do
            bash "$SELF" "$c" || rc=1
        done
        # Unmount /dev and /proc from the root only once its server is down.
        if [ "$rc" = 0 ] && [ -d "$ROOT" ]; then release_mounts "$ROOT"; fi
        [ "$rc" = 0 ] && echo "prom, pg15, pgtls, tsdb and mqtt are stopped"
        exit "$rc"
        ;;
    status) status_all ;;
    pg-freeze) need_root pg-freeze; pg15_freeze ;;
    pg-thaw) need_root pg-thaw; pg15_thaw ;;
    pg-start | pg-stop | pgtls-start | pgtls-stop | tsdb-start | tsdb-stop | mqtt-start | mqtt-stop | prom-start | prom-stop)
        need_root "$cmd"
        take_lock
        case "$cmd" in
            pg-start) pg15_start ;;
            pg-stop) pg15_stop ;;
            pgtls-start) pgtls_start ;;
            pgtls-stop) pgtls_stop ;;
            tsdb-start) tsdb_start ;;
            tsdb-stop) tsdb_stop ;;
            mqtt-start) mq_start ;;
            mqtt-stop) mq_stop ;;
            prom-start) prom_start "${2:-}" ;;
            prom-stop) prom_stop ;;
        esac
        ;;
    env) print_env ;;
    -h | --help | help) usage ;;
    *)
        usage >&2
        exit 2
        ;;
esac
