#!/usr/bin/env bash
# The machine part of `make test`: everything the suite needs besides Python's own packages.
#
#   Chromium (Debian's, driven by Playwright), PostgreSQL (server and client: pg_dump is used by a
#   test), Redis, python3-venv, the docker-compose CLI (the suite validates docker-compose.yml
#   with `docker-compose config`, which needs no Docker engine) and Caddy (the production profile runs
#   the shipped Caddyfile in front of gunicorn).
#
# What is missing is installed with apt when we are root; PostgreSQL and Redis are started when they
# do not answer, and used as they are when they do. Without root, the first missing piece stops the
# run with the exact command to type. The addresses come from the same variables as the tests
# (defaults as in payrollsync/settings_test.py).
set -euo pipefail

DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:6379/14}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
VENV=${VENV:-.venv}

say() { printf 'test-machine: %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# host port of a URL (defaults for the scheme), printed as "host port"
host_port() {
  python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(p.hostname or "127.0.0.1", p.port or int(sys.argv[2]))' "$1" "$2"
}
is_local() { case "$1" in 127.0.0.1|localhost|::1) return 0 ;; *) return 1 ;; esac; }
answers() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
redis_answers() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2; printf 'PING\r\n' >&3; read -r reply <&3; [[ \$reply == +PONG* ]]" 2>/dev/null
}
wait_for() {  # wait_for <what> <command...>
  local what=$1; shift
  for _ in $(seq 60); do "$@" && return 0; sleep 0.5; done
  say "$what did not come up within 30 s"; exit 1
}
# Runs a set-up command as root, or stops with that exact command when we are not root.
as_root() {
  if is_root; then "$@"; return; fi
  say "cannot do this without root; run as root (or with sudo), then make test again:"
  printf '    sudo' >&2; printf ' %q' "$@" >&2; printf '\n' >&2
  exit 1
}

read -r pg_host pg_port < <(host_port "$DATABASE_URL" 5432)
redis_host=""
case "$BROKER_URL" in redis://*) read -r redis_host redis_port < <(host_port "$BROKER_URL" 6379) ;; esac

# --- 1. packages --------------------------------------------------------------------------------
packages=()
[ -x "$VENV/bin/python" ] || python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
[ -x "$CHROMIUM" ] || packages+=(chromium)
command -v pg_dump >/dev/null || packages+=(postgresql-client)
if is_local "$pg_host" && ! answers "$pg_host" "$pg_port" && ! command -v pg_ctlcluster >/dev/null; then
  packages+=(postgresql)
fi
if [ -n "$redis_host" ] && is_local "$redis_host" && ! redis_answers "$redis_host" "$redis_port" \
   && ! command -v redis-server >/dev/null; then
  packages+=(redis-server)
fi
command -v docker-compose >/dev/null || packages+=(docker-compose)
command -v caddy >/dev/null || packages+=(caddy)

fresh_postgresql=no
if [ ${#packages[@]} -gt 0 ]; then
  say "missing: ${packages[*]}"
  if is_root; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${packages[@]}" >/dev/null
    [[ " ${packages[*]} " == *" postgresql "* ]] && fresh_postgresql=yes
  else
    say "cannot install without root; run as root (or with sudo), then make test again:"
    printf '    sudo apt-get update && sudo apt-get install -y %s\n' "${packages[*]}" >&2
    exit 1
  fi
fi

# --- 2. PostgreSQL -------------------------------------------------------------------------------
if ! answers "$pg_host" "$pg_port"; then
  is_local "$pg_host" || { say "PostgreSQL at $pg_host:$pg_port does not answer (DATABASE_URL)"; exit 1; }
  # The local cluster on that port (pg_lsclusters: version, name, port, status, ...).
  read -r version cluster < <(pg_lsclusters -h | awk -v port="$pg_port" '$3 == port {print $1, $2; exit}') || true
  [ -n "${version:-}" ] || { say "no local PostgreSQL cluster is set up for port $pg_port (DATABASE_URL)"; exit 1; }
  if [ "$fresh_postgresql" = yes ]; then
    # A server this script just installed: let the tests' user in over loopback without a password
    # (Debian's default asks for one), as the README's default DATABASE_URL has none.
    hba=/etc/postgresql/$version/$cluster/pg_hba.conf
    sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  fi
  say "starting PostgreSQL $version/$cluster on port $pg_port"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  wait_for PostgreSQL answers "$pg_host" "$pg_port"
fi

# --- 3. Redis ------------------------------------------------------------------------------------
if [ -n "$redis_host" ] && ! redis_answers "$redis_host" "$redis_port"; then
  is_local "$redis_host" || { say "Redis at $redis_host:$redis_port does not answer (CELERY_BROKER_URL)"; exit 1; }
  log=/var/log/redis/ci.log
  [ "$redis_port" = 6379 ] || log=/var/log/redis/ci-$redis_port.log
  say "starting Redis on port $redis_port"
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$redis_port" --save "" --appendonly no \
    --dir /var/lib/redis --logfile "$log" --pidfile "/var/lib/redis/ci-$redis_port.pid"
  wait_for Redis redis_answers "$redis_host" "$redis_port"
fi
say "ready: PostgreSQL $pg_host:$pg_port${redis_host:+, Redis $redis_host:$redis_port}, $CHROMIUM"
