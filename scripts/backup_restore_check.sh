#!/usr/bin/env bash
# Tested restore: prove that a pg_dump of a Tissu database restores into a working copy.
#
#   1. create a scratch database on the local PostgreSQL, migrate it, load the demo city;
#   2. dump it with pg_dump -Fc (the format docs/deployment.md recommends for backups);
#   3. restore the dump with pg_restore into a second, fresh scratch database;
#   4. compare, table by table, the row count and a checksum of the rows; compare the
#      indexes, triggers and extensions; check that the audit log's append-only trigger
#      came back and that the restored copy needs no migration;
#   5. drop both databases (also on failure).
#
# Uses psql, createdb, dropdb, pg_dump and pg_restore from PATH. Connection from the usual
# libpq variables: PGHOST (default 127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD.
# The role needs CREATEDB. PYTHON defaults to .venv/bin/python (run `make install` first).
#
#   scripts/backup_restore_check.sh
set -euo pipefail

cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
PYTHON="${PYTHON:-.venv/bin/python}"

stamp="$(date +%Y%m%d%H%M%S)_$$"
SOURCE_DB="tissu_backup_check_src_${stamp}"
RESTORED_DB="tissu_backup_check_dst_${stamp}"
WORK_DIR="$(mktemp -d)"
DUMP_FILE="${WORK_DIR}/tissu.dump"

say() { printf '[backup-check] %s\n' "$*"; }

cleanup() {
    dropdb --if-exists "$SOURCE_DB" 2>/dev/null || true
    dropdb --if-exists "$RESTORED_DB" 2>/dev/null || true
    rm -rf "$WORK_DIR"
}
trap cleanup EXIT

sql() {  # sql DATABASE QUERY → unaligned, tuples only
    psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
}

# A host that is a socket directory must be percent-encoded in DATABASE_URL.
url_host="${PGHOST//\//%2F}"
database_url() { printf 'postgres://%s@%s:%s/%s' "$PGUSER" "$url_host" "$PGPORT" "$1"; }

say "PostgreSQL: $(sql postgres 'SHOW server_version') at ${PGHOST}:${PGPORT} as ${PGUSER}"

say "1/5 creating ${SOURCE_DB}, migrating, loading the demo city"
createdb "$SOURCE_DB"
DATABASE_URL="$(database_url "$SOURCE_DB")" "$PYTHON" manage.py migrate --no-input --verbosity 0
DATABASE_URL="$(database_url "$SOURCE_DB")" "$PYTHON" manage.py seed_demo

say "2/5 dumping with pg_dump -Fc"
pg_dump --format=custom --no-owner --no-privileges --dbname="$SOURCE_DB" --file="$DUMP_FILE"
say "    dump: $(du -h "$DUMP_FILE" | cut -f1)"

say "3/5 restoring into ${RESTORED_DB} with pg_restore"
createdb "$RESTORED_DB"
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$RESTORED_DB" "$DUMP_FILE"

say "4/5 comparing every table"
TABLES_QUERY="SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables
              WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
source_tables="$(sql "$SOURCE_DB" "$TABLES_QUERY")"
restored_tables="$(sql "$RESTORED_DB" "$TABLES_QUERY")"
if [[ "$source_tables" != "$restored_tables" ]]; then
    say "FAIL: the restored database does not have the same tables"
    diff <(echo "$source_tables") <(echo "$restored_tables") || true
    exit 1
fi

failures=0
total_rows=0
table_count=0
while read -r table; do
    # Row count, and an order-independent checksum of the rows' text.
    query="SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-') FROM ${table} t"
    source_result="$(sql "$SOURCE_DB" "$query")"
    restored_result="$(sql "$RESTORED_DB" "$query")"
    rows="${source_result%% *}"
    if [[ "$source_result" != "$restored_result" ]]; then
        say "    MISMATCH ${table}: source ${source_result}, restored ${restored_result}"
        failures=$((failures + 1))
    else
        printf '    %-45s %6s rows  ok\n' "$table" "$rows"
    fi
    total_rows=$((total_rows + rows))
    table_count=$((table_count + 1))
done <<<"$source_tables"

SCHEMA_QUERY="SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'
              UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger WHERE NOT tgisinternal
              UNION ALL SELECT 'extension ' || extname FROM pg_extension ORDER BY 1"
if [[ "$(sql "$SOURCE_DB" "$SCHEMA_QUERY")" != "$(sql "$RESTORED_DB" "$SCHEMA_QUERY")" ]]; then
    say "FAIL: indexes, triggers or extensions differ after restore"
    diff <(sql "$SOURCE_DB" "$SCHEMA_QUERY") <(sql "$RESTORED_DB" "$SCHEMA_QUERY") || true
    failures=$((failures + 1))
else
    say "    indexes, triggers and extensions: $(sql "$RESTORED_DB" "$SCHEMA_QUERY" | wc -l) identical"
fi

users="$(sql "$RESTORED_DB" "SELECT count(*) FROM accounts_user")"
if [[ "$users" -eq 0 ]]; then
    say "FAIL: no user in the restored database: the demo city was not loaded"
    failures=$((failures + 1))
fi
trigger="$(sql "$RESTORED_DB" "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_auditentry_no_update'")"
if [[ "$trigger" -ne 1 ]]; then
    say "FAIL: the audit log's append-only trigger is missing after restore"
    failures=$((failures + 1))
fi
DATABASE_URL="$(database_url "$RESTORED_DB")" "$PYTHON" manage.py migrate --check --no-input --verbosity 0 || {
    say "FAIL: the restored database has unapplied migrations"
    failures=$((failures + 1))
}

say "5/5 dropping both scratch databases"
if [[ "$failures" -ne 0 ]]; then
    say "FAILED: ${failures} problem(s)"
    exit 1
fi
say "OK: ${table_count} tables, ${total_rows} rows restored identically; append-only trigger present"
