#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: installed when missing (Debian's `postgresql`),
# started in a temporary folder on a unix socket only (no TCP port to collide with), made fast
# rather than durable (fsync off: nothing in it outlives the run), and stopped and removed at the end.
#
#   source scripts/pg.sh; pg_start     exports WASTEWALK_TEST_PG_URL; pg_stop (or exit) ends it
#   scripts/pg.sh COMMAND [ARGS...]     runs the command with the server up, e.g.
#                                       scripts/pg.sh .venv/bin/pytest tests/pg
#
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (which the
# package creates) in a folder that user owns.
set -euo pipefail

PG_DIR=""

pg_say() { printf 'wastewalk pg: %s\n' "$*" >&2; }

pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && printf '%s\n' "$dir"
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  local bin
  if ! bin="$(pg_bindir)"; then
    if ! declare -F apt_install >/dev/null; then
      source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
    fi
    apt_install postgresql
    bin="$(pg_bindir)" || { pg_say "PostgreSQL is not installed and could not be installed"; return 1; }
  fi
  PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wastewalk-pg.XXXXXX")"
  mkdir "$PG_DIR/data"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$PG_DIR"; fi
  trap pg_stop EXIT
  local started=$SECONDS
  pg_as_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses='' -k $PG_DIR -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off -c max_connections=200" >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  export WASTEWALK_TEST_PG_URL="postgresql+psycopg://postgres@/postgres?host=$PG_DIR"
  pg_say "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') up in $((SECONDS - started)) s at $WASTEWALK_TEST_PG_URL"
}

pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  local bin
  if bin="$(pg_bindir)" && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
  PG_DIR=""
  unset WASTEWALK_TEST_PG_URL
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  pg_start
  if [ $# -gt 0 ]; then
    status=0
    "$@" || status=$?
    exit $status
  fi
  printf '%s\n' "$WASTEWALK_TEST_PG_URL"
  pg_say "press Enter to stop the server"
  read -r _
fi
