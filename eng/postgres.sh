#!/usr/bin/env bash
# A private PostgreSQL server for the distributed-sweep tests (Hangfire storage): its own cluster in its own data
# directory on its own port, owned by the `postgres` user (initdb refuses root), trust login on 127.0.0.1 only.
#
#   source eng/postgres.sh start    installs Debian's `postgresql` if missing (root or sudo -n), starts the server and
#                                   exports WEIGHTINIT_TEST_POSTGRES (an Npgsql connection string) and
#                                   WEIGHTINIT_TEST_POSTGRES_DATA (the data directory)
#   bash eng/postgres.sh restart    restarts it (WEIGHTINIT_TEST_POSTGRES_DATA names the cluster)
#   bash eng/postgres.sh stop       stops it and deletes the data directory
#
# When PostgreSQL cannot be installed or started, `start` says why and exports nothing: the tests that need it are
# then inconclusive with that message. WEIGHTINIT_TEST_POSTGRES set beforehand is kept (an existing server).

_pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
_pg_as_postgres() { if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi; }

_pg_start() {
  if [ -n "${WEIGHTINIT_TEST_POSTGRES:-}" ]; then
    echo "postgres.sh: using WEIGHTINIT_TEST_POSTGRES from the environment."
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "postgres.sh: not root: the private PostgreSQL server is not started (set WEIGHTINIT_TEST_POSTGRES to use a server of yours)." >&2
    return 1
  fi
  if [ -z "$(_pg_bin)" ]; then
    echo "postgres.sh: installing Debian's postgresql..."
    apt-get install -y -q postgresql >/dev/null 2>&1 \
      || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null 2>&1; } \
      || { echo "postgres.sh: apt-get install postgresql failed; the distributed-sweep tests will be inconclusive." >&2; return 1; }
  fi
  local bin port dir
  bin=$(_pg_bin)
  id postgres >/dev/null 2>&1 || { echo "postgres.sh: no 'postgres' user (the postgresql package creates it)." >&2; return 1; }
  port=${WEIGHTINIT_TEST_POSTGRES_PORT:-}
  if [ -z "$port" ]; then
    for port in $(seq 55432 55500); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
    done
  fi
  dir=$(mktemp -d /tmp/weightinit-pg.XXXXXX)
  chown postgres:postgres "$dir"
  chmod 700 "$dir"
  if ! _pg_as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1; then
    echo "postgres.sh: initdb failed (see $dir/initdb.log)." >&2
    return 1
  fi
  if ! _pg_as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null; then
    echo "postgres.sh: the server did not start (see $dir/server.log)." >&2
    return 1
  fi
  export WEIGHTINIT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  export WEIGHTINIT_TEST_POSTGRES_DATA="$dir/data"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $dir/data)."
}

_pg_ctl() {
  local dir=${WEIGHTINIT_TEST_POSTGRES_DATA:?WEIGHTINIT_TEST_POSTGRES_DATA is not set}
  _pg_as_postgres "$(_pg_bin)/pg_ctl" -D "$dir" -l "$(dirname "$dir")/server.log" -w -t 60 "$@" >/dev/null
}

case "${1:-}" in
  start) _pg_start ;;
  restart) _pg_ctl restart ;;
  stop)
    if [ -n "${WEIGHTINIT_TEST_POSTGRES_DATA:-}" ]; then
      _pg_ctl -m fast stop || true
      rm -rf "$(dirname "$WEIGHTINIT_TEST_POSTGRES_DATA")"
      unset WEIGHTINIT_TEST_POSTGRES WEIGHTINIT_TEST_POSTGRES_DATA
    fi ;;
  *) echo "usage: source eng/postgres.sh start | bash eng/postgres.sh restart | bash eng/postgres.sh stop" >&2; false ;;
esac
