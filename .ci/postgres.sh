# Sourced by .ci/run (and usable by hand: `source .ci/postgres.sh && start_postgres`): a throwaway
# PostgreSQL for the store tests, without a service manager. Installs the Debian packages when no
# server is installed, runs initdb + pg_ctl as the postgres user (PostgreSQL refuses to run as root)
# into a temporary directory on a port of its own, creates a database and exports
# NESTKIT_TEST_DATABASE_URL. The server is stopped and its directory removed when the shell exits.

start_postgres() {
  local port="${NESTKIT_PG_PORT:-55432}"
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ]; then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi
  NESTKIT_PG_DIR="$(mktemp -d -t nestkit-pg.XXXXXX)"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$NESTKIT_PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$NESTKIT_PG_DIR/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$NESTKIT_PG_DIR/data" -l "$NESTKIT_PG_DIR/log" -w -s \
    -o "-p $port -k $NESTKIT_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start
  NESTKIT_PG_STOP="${as[*]} $bin/pg_ctl -D $NESTKIT_PG_DIR/data -m fast -w -s stop"
  trap 'stop_postgres' EXIT
  "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres nestkit_test
  export NESTKIT_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/nestkit_test"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port: $NESTKIT_TEST_DATABASE_URL"
}

stop_postgres() {
  if [ -n "${NESTKIT_PG_STOP:-}" ]; then
    $NESTKIT_PG_STOP || true
    rm -rf "$NESTKIT_PG_DIR"
    NESTKIT_PG_STOP=""
  fi
}
