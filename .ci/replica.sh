#!/usr/bin/env bash
# A streaming replica of the Postgres on 127.0.0.1:5432, on 127.0.0.1:5433, for the read-replica
# tests (tests/read-replica.test.ts): pg_basebackup into a second cluster started as the postgres user.
# The Debian cluster's pg_hba.conf has no replication entry: one is added (trust, loopback only) and
# the primary reloaded. Idempotent: a replica already answering on 5433 is left as it is.
set -euo pipefail
PORT="${REPLICA_PORT:-5433}"
DIR="${REPLICA_DIR:-/var/tmp/observatory-replica}"
VER="$(ls /etc/postgresql | sort -n | tail -1)"
BIN="/usr/lib/postgresql/$VER/bin"
HBA="/etc/postgresql/$VER/main/pg_hba.conf"

if pg_isready -h 127.0.0.1 -p "$PORT" -q 2>/dev/null; then
  streaming="$(psql -h 127.0.0.1 -p "$PORT" -U postgres -Atc "select count(*) from pg_stat_wal_receiver where status = 'streaming'" 2>/dev/null || echo 0)"
  if [ "$streaming" = "1" ]; then
    echo "replica already streams on 127.0.0.1:$PORT"
    exit 0
  fi
  echo "a server on 127.0.0.1:$PORT does not stream from the primary: making it again"
  su postgres -s /bin/sh -c "$BIN/pg_ctl -D '$DIR' -m fast -w stop" || true
fi
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$HBA"; then
  echo "host replication all 127.0.0.1/32 trust" >> "$HBA"
  pg_ctlcluster --skip-systemctl-redirect "$VER" main reload
  sleep 1
fi
rm -rf "$DIR"
mkdir -p "$DIR"
chown postgres:postgres "$DIR"
chmod 700 "$DIR"
# The primary keeps 512 MB of WAL for the standby to catch up from (a busy primary, as during the
# test suite, would otherwise recycle a segment while the copy or the standby still needs it).
psql -h 127.0.0.1 -p 5432 -U postgres -Atqc "alter system set wal_keep_size = '512MB'" -c "select pg_reload_conf()" >/dev/null
# -R: standby.signal and primary_conninfo; -X stream: the WAL of the copy itself.
su postgres -s /bin/sh -c "$BIN/pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D '$DIR' -R -X stream"
# Debian keeps the configuration outside the data directory: the copy gets its own, minimal.
cat > "$DIR/postgresql.conf" <<CONF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
max_connections = 100
CONF
cat > "$DIR/pg_hba.conf" <<CONF
local all all trust
host all all 127.0.0.1/32 trust
CONF
chown postgres:postgres "$DIR/postgresql.conf" "$DIR/pg_hba.conf"
su postgres -s /bin/sh -c "$BIN/pg_ctl -D '$DIR' -l '$DIR/server.log' -w start"
pg_isready -h 127.0.0.1 -p "$PORT"
psql -h 127.0.0.1 -p "$PORT" -U postgres -Atc "select 'replica in recovery: ' || pg_is_in_recovery()"
