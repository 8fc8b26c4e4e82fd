#!/usr/bin/env bash
# Starts a throwaway Redis server for the AccountSecurity test suites, listening on 127.0.0.1 only.
# Idempotent: installs redis-server from apt when missing, reuses a server that already answers on the port.
# Prints the line to eval:   eval "$(.ci/redis.sh)"
# Settings (environment): ACCOUNTSECURITY_REDISPORT (default 56379), ACCOUNTSECURITY_REDISDIR (working directory,
#                         default /tmp/accountsecurity-redis).
# No persistence, no password, loopback only: a test server, never a production one. The tests that stop and restart
# Redis start their own server from the same binary on a free port and leave this one alone.
set -euo pipefail

# Not 6379: a distribution server that apt may have started there must never be mistaken for ours.
PORT="${ACCOUNTSECURITY_REDISPORT:-56379}"
DIR="${ACCOUNTSECURITY_REDISDIR:-/tmp/accountsecurity-redis}"
LOG_FILE="${DIR}.log"

log() { echo "redis.sh: $*" >&2; }

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    log "installing redis-server"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends redis-server >&2
fi

if [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" = "PONG" ]; then
    log "server already answering on 127.0.0.1:$PORT"
else
    rm -rf "$DIR"
    mkdir -p "$DIR"
    log "starting on 127.0.0.1:$PORT"
    # --save '' and --appendonly no: nothing is written to disk; --protected-mode yes with the loopback bind.
    redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --save '' --appendonly no \
        --protected-mode yes --daemonize yes --logfile "$LOG_FILE" >&2
    for _ in $(seq 1 60); do
        [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" = "PONG" ] && break
        sleep 0.5
    done
    [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" = "PONG" ] || { log "server did not start; see $LOG_FILE"; exit 1; }
fi

echo "export ACCOUNTSECURITY_REDIS='127.0.0.1:$PORT'"
