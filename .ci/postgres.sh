#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the AccountSecurity test suites, listening on 127.0.0.1 only.
# Idempotent: installs PostgreSQL when missing, reuses a running server, creates the test database when missing.
# Prints the line to eval:   eval "$(.ci/postgres.sh)"
# Settings (environment): ACCOUNTSECURITY_PGDATA (data dir, default /tmp/accountsecurity-pgdata),
#                         ACCOUNTSECURITY_PGPORT (default 55432), ACCOUNTSECURITY_PGDATABASE (default accountsecurity_tests).
# Trust authentication on loopback only: a test server, never a production one.
set -euo pipefail

PGDATA_DIR="${ACCOUNTSECURITY_PGDATA:-/tmp/accountsecurity-pgdata}"
# Not 5432: a distribution cluster that apt may have started there must never be mistaken for ours.
PORT="${ACCOUNTSECURITY_PGPORT:-55432}"
DATABASE="${ACCOUNTSECURITY_PGDATABASE:-accountsecurity_tests}"
LOG_FILE="${PGDATA_DIR}.log"

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
    log "installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
    BIN=$(find_bin)
fi

# Run as the postgres OS user when we are root (initdb refuses root); as ourselves otherwise.
as_owner() {
    if [ "$(id -u)" = "0" ]; then
        su postgres -s /bin/bash -c "$*"
    else
        bash -c "$*"
    fi
}

if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    log "server already accepting connections on 127.0.0.1:$PORT"
else
    # Throwaway: a server that is not running is started on a fresh data directory, never on leftovers.
    rm -rf "$PGDATA_DIR"
    if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
        log "initialising $PGDATA_DIR"
        mkdir -p "$PGDATA_DIR"
        [ "$(id -u)" = "0" ] && chown postgres "$PGDATA_DIR"
        chmod 700 "$PGDATA_DIR"
        as_owner "'$BIN/initdb' -D '$PGDATA_DIR' -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8" >&2
    fi
    [ "$(id -u)" = "0" ] && touch "$LOG_FILE" && chown postgres "$LOG_FILE"
    log "starting on 127.0.0.1:$PORT"
    as_owner "'$BIN/pg_ctl' -D '$PGDATA_DIR' -o \"-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c max_connections=200 -c fsync=off\" -l '$LOG_FILE' start" >&2
    for _ in $(seq 1 60); do
        "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" && break
        sleep 0.5
    done
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" || { log "server did not start; see $LOG_FILE"; exit 1; }
fi

if ! "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
    log "creating database $DATABASE"
    "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE DATABASE \"$DATABASE\"" >&2
fi

echo "export ACCOUNTSECURITY_POSTGRES='Host=127.0.0.1;Port=$PORT;Username=postgres;Password=postgres;Database=$DATABASE'"
