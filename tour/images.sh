#!/usr/bin/env bash
# The tour against the five images started together, on the host network, as
# compose would start them: what only a container shows (a file missing from an
# image, a variable compose forgets, the non-root user) fails here.
#
#   tour/images.sh            (TOUR_IMAGES_BUILD=1 builds the images first)
#
# Images are shop/<name>:dev as scripts/images/check.sh builds them (it is run
# when one is missing). Each container gets compose's environment
# (scripts/images/compose-env.mjs) with its ports +10000, so a running
# `npm start` is no obstacle, and a system of its own: database shop_tour_images,
# broker vhost shop_tour_images and Redis keys under shop_tour_images:, all
# removed at the end, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${OCI_SH:-}" ]; then
  for candidate in ../shared/tools/oci.sh /work/shared/tools/oci.sh; do
    if [ -f "$candidate" ]; then OCI_SH="$candidate"; break; fi
  done
fi
OCI_SH="${OCI_SH:-../shared/tools/oci.sh}"
SYSTEM=shop_tour_images
ADMIN_SERVER="${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
READY_TIMEOUT="${READY_TIMEOUT:-90}"
NAMES=(users items orders inventory gateway)
SCHEMAS=(users items orders inventory)

step() { printf '▸ %s\n' "$*"; }
fail() { printf 'tour/images.sh: %s\n' "$*" >&2; exit 1; }
[ -f "$OCI_SH" ] || fail "oci.sh not found at $OCI_SH (set OCI_SH to the podman helper)"
oci() { bash "$OCI_SH" "$@"; }

work="$(mktemp -d)"
cleanup() {
  local status=$?
  for name in "${NAMES[@]}"; do podman rm -f "shop-tour-$name" >/dev/null 2>&1 || true; done
  psql "$ADMIN_SERVER" -qAtc "DROP DATABASE IF EXISTS $SYSTEM WITH (FORCE)" >/dev/null 2>&1 || true
  rabbitmqctl --quiet delete_vhost "$SYSTEM" >/dev/null 2>&1 || true
  redis-cli --scan --pattern "$SYSTEM:*" 2>/dev/null | xargs -r redis-cli del >/dev/null 2>&1 || true
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

missing=()
for name in "${NAMES[@]}"; do podman image exists "shop/$name:dev" || missing+=("$name"); done
if [ "${TOUR_IMAGES_BUILD:-0}" = 1 ] || [ ${#missing[@]} -gt 0 ]; then
  step "Building and checking the images (scripts/images/check.sh)"
  bash scripts/images/check.sh
fi

step "A system of its own: database, vhost and Redis prefix $SYSTEM"
DATABASE_ADMIN_URL="$ADMIN_SERVER" SHOP_DB_NAME="$SYSTEM" bash scripts/db/bootstrap.sh
RABBITMQ_VHOST="$SYSTEM" bash scripts/broker/bootstrap.sh

hosts=()
while read -r service; do hosts+=(--add-host "$service:127.0.0.1"); done \
  < <(node scripts/images/compose-env.mjs --services)
# As Kubernetes runs them; the CA oci.sh builds with stays in the image config, not the file.
hardened=(--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges --unsetenv NODE_EXTRA_CA_CERTS)

# compose's environment for one container, moved to this system's ports, vhost and keys.
env_file() {
  node scripts/images/compose-env.mjs "$1" --database "$SYSTEM" "REDIS_KEY_PREFIX=$SYSTEM:$2:" \
    | sed -E -e 's#^(PORT|ADMIN_PORT)=([0-9]+)$#echo "\1=$((\2 + 10000))"#e' \
      -e 's#^([A-Z]+_URL=http://[a-z]+):([0-9]+)$#echo "\1:$((\2 + 10000))"#e' \
      -e "s#^(RABBITMQ_URL=amqp://.*:5672)/?\$#\\1/$SYSTEM#" >"$work/$1.env"
  echo "$work/$1.env"
}

for schema in "${SCHEMAS[@]}"; do
  step "Migrating $schema with its image"
  oci run --rm "${hosts[@]}" "${hardened[@]}" --env-file "$(env_file "migrate-$schema" "$schema")" \
    "shop/$schema:dev" node dist/migrate.js >"$work/migrate-$schema.log" 2>&1 \
    || { tail -n 20 "$work/migrate-$schema.log" >&2; fail "migrating $schema failed (last lines above)"; }
done

for name in "${NAMES[@]}"; do
  step "Starting shop/$name:dev"
  oci run -d --replace --name "shop-tour-$name" "${hosts[@]}" "${hardened[@]}" \
    --env-file "$(env_file "$name" "$name")" "shop/$name:dev" >/dev/null
done

step "Waiting for every container to be ready"
declare -A PROBE=([users]=13001 [items]=13002 [orders]=13003 [inventory]=13004 [gateway]=18080)
for name in "${NAMES[@]}"; do
  started=$SECONDS
  until node -e "fetch('http://127.0.0.1:${PROBE[$name]}/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; do
    if [ "$(podman inspect --format '{{.State.Running}}' "shop-tour-$name" 2>/dev/null)" != true ] \
      || (( SECONDS - started > READY_TIMEOUT )); then
      podman logs --tail 30 "shop-tour-$name" 2>&1 | sed 's/^/    /' >&2
      fail "shop/$name:dev did not become ready (its last log lines above)"
    fi
    sleep 1
  done
  echo "  $name ready after $((SECONDS - started)) s"
done

step "The tour against the images"
admin="$(node scripts/images/compose-env.mjs users | sed -n 's/^ADMIN_\(USERNAME\|PASSWORD\)=/\1 /p')"
ADMIN_USERNAME="$(awk '$1 == "USERNAME" { print $2 }' <<<"$admin")" \
ADMIN_PASSWORD="$(awk '$1 == "PASSWORD" { print $2 }' <<<"$admin")" \
TOUR_URL=http://127.0.0.1:18080 TOUR_ADMIN_URL=http://127.0.0.1:18081 TOUR_USERS_URL=http://127.0.0.1:13001 \
  node tour/run.mjs
