#!/usr/bin/env bash
# Creates or updates the Shop database, its per-service schemas and roles by
# running bootstrap.sql (next to this file). Idempotent; safe to run in parallel.
#
#   DATABASE_ADMIN_URL  superuser connection to an existing database
#                       (default postgres://postgres@127.0.0.1:5432/postgres)
#   SHOP_DB_NAME        database to bootstrap (default shop)
#   USERS_DB_PASSWORD, ITEMS_DB_PASSWORD, ORDERS_DB_PASSWORD, INVENTORY_DB_PASSWORD
#                       passwords of the runtime roles <svc>_svc. The defaults,
#                       <svc>_svc_dev_password, are for local development ONLY.
#
# Official postgres image: mount the folder as init scripts, e.g. in compose
#   volumes: ["./scripts/db:/docker-entrypoint-initdb.d:ro"]
# On first start the entrypoint runs (or sources) this file while the server
# listens on its local socket only. With DATABASE_ADMIN_URL unset and
# POSTGRES_USER set we connect there as POSTGRES_USER. The entrypoint then runs
# bootstrap.sql by itself too, which is a no-op without our variables.

# A subshell body: when sourced by the entrypoint, neither `set -u`, variables
# nor an early exit may leak into its shell.
shop_db_bootstrap() (
  set -euo pipefail

  sql="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bootstrap.sql"
  db="${SHOP_DB_NAME:-shop}"

  for svc in users items orders inventory; do
    var="${svc^^}_DB_PASSWORD"
    export "$var=${!var:-${svc}_svc_dev_password}"
  done

  if [[ -z "${DATABASE_ADMIN_URL:-}" && -n "${POSTGRES_USER:-}" ]]; then
    # Inside the image's init phase: trusted local socket, as the entrypoint does.
    unset PGHOST PGHOSTADDR
    connection=(--username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}")
  else
    connection=(--dbname "${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}")
  fi

  psql "${connection[@]}" --no-psqlrc --no-password --quiet \
    -v ON_ERROR_STOP=1 -v db="$db" -f "$sql"
  echo "bootstrap: database \"$db\" ready (schemas users, items, orders, inventory)"
)

shop_db_bootstrap
