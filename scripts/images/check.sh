#!/usr/bin/env bash
# `npm run test:images`: builds the image of every process and starts each one,
# as docker-compose.yml would, against the local Postgres, Redis and RabbitMQ;
# passes when every container answers /health/ready and runs as a non-root user.
#
#   scripts/images/check.sh [NAME ...]     (default: users items orders inventory gateway)
#
# No Docker engine is needed: images are built and run with podman through
# oci.sh (OCI_SH, default ../shared/tools/oci.sh from the repository root),
# on the host network, with each compose service name mapped to 127.0.0.1.
# Each container gets the environment compose gives it (compose-env.mjs), with
# two changes: another port (+10000, so a running `npm start` is no obstacle)
# and its own database, SHOP_IMAGES_DB (default shop_images), bootstrapped by
# scripts/db/bootstrap.sh and migrated by the image itself (node dist/migrate.js).
# Containers run as Kubernetes runs them: read-only root, /tmp a tmpfs, no
# capabilities, no privilege escalation.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The podman helper is handed to the project beside the repository, not in it:
# take OCI_SH, else ../shared/tools/oci.sh, else the workplace's copy.
if [ -z "${OCI_SH:-}" ]; then
  for candidate in ../shared/tools/oci.sh /work/shared/tools/oci.sh; do
    if [ -f "$candidate" ]; then OCI_SH="$candidate"; break; fi
  done
fi
OCI_SH="${OCI_SH:-../shared/tools/oci.sh}"
DATABASE="${SHOP_IMAGES_DB:-shop_images}"
ADMIN_URL="${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
READY_TIMEOUT="${READY_TIMEOUT:-60}"
PROCESSES=("$@")
[ ${#PROCESSES[@]} -gt 0 ] || PROCESSES=(users items orders inventory gateway)

declare -A OWNS_SCHEMA=([users]=1 [items]=1 [orders]=1 [inventory]=1 [gateway]=)

# Bold and red only on a terminal without NO_COLOR, or when FORCE_COLOR asks: a log file gets plain text.
color_wanted() {
  case "${FORCE_COLOR:-}" in
    0 | false) return 1 ;;
    '') [ -t 1 ] && [ -z "${NO_COLOR:-}" ] ;;
    *) return 0 ;;
  esac
}
if color_wanted; then
  BOLD=$'\033[1m' RED=$'\033[31m' PLAIN=$'\033[0m'
else
  BOLD='' RED='' PLAIN=''
fi
step() { printf '%s▸ %s%s\n' "$BOLD" "$*" "$PLAIN"; }
fail() { printf '%scheck.sh: %s%s\n' "$RED" "$*" "$PLAIN" >&2; exit 1; }

[ -f "$OCI_SH" ] || fail "oci.sh not found at $OCI_SH (set OCI_SH to the podman helper, see STACK-NOTES)"
oci() { bash "$OCI_SH" "$@"; }
for name in "${PROCESSES[@]}"; do [ -n "${OWNS_SCHEMA[$name]+known}" ] || fail "unknown process \"$name\""; done

work="$(mktemp -d)"
containers=()
cleanup() {
  for container in "${containers[@]}"; do podman rm -f "$container" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Compose service names → 127.0.0.1: postgres, rabbitmq, redis, users, …
hosts=()
while read -r service; do hosts+=(--add-host "$service:127.0.0.1"); done \
  < <(node scripts/images/compose-env.mjs --services)
hardened=(--read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges)
# oci.sh builds with the workplace proxy's CA in the environment, and that
# setting stays in the image config; the file itself does not.
hardened+=(--unsetenv NODE_EXTRA_CA_CERTS)

step "Checking the local infrastructure"
for target in postgres:5432 redis:6379 rabbitmq:5672; do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/${target#*:}") 2>/dev/null; then
    fail "${target%%:*} is not listening on 127.0.0.1:${target#*:} (start it, e.g. docker compose -f docker-compose.infra.yml up -d)"
  fi
done

step "Base image (oci.sh base)"
oci base

# One Dockerfile builds every image; docker-compose.yml picks which with build
# arguments. oci.sh build passes none, so each image is built from a copy whose
# ARG lines carry compose's values as their defaults: the same build.
dockerfile_of() {
  local edits=() key value
  while IFS='=' read -r key value; do
    edits+=(-e "s|^ARG ${key}\$|ARG ${key}=\"${value}\"|")
  done < <(node scripts/images/compose-env.mjs --build-args "$1")
  [ ${#edits[@]} -gt 0 ] || fail "docker-compose.yml gives $1 no build arguments"
  sed "${edits[@]}" Dockerfile >"$work/Dockerfile.$1"
  echo "$work/Dockerfile.$1"
}

declare -A SIZE READY HEALTH UID_OF
for name in "${PROCESSES[@]}"; do
  dockerfile="$(dockerfile_of "$name")"
  step "Building shop/$name:dev from Dockerfile ($(grep -o '^ARG [A-Z_]*=.*' "$dockerfile" | sort -u | sed 's/^ARG //' | paste -sd ' '))"
  started=$SECONDS
  if ! oci build . "$dockerfile" "shop/$name:dev" >"$work/build-$name.log" 2>&1; then
    tail -n 30 "$work/build-$name.log" >&2
    fail "building shop/$name:dev failed (last lines above)"
  fi
  SIZE[$name]="$(podman image inspect --format '{{.Size}}' "shop/$name:dev" | awk '{ printf "%d MB", $1 / 1000000 }')"
  echo "  built in $((SECONDS - started)) s, ${SIZE[$name]}"
done

step "Bootstrapping database \"$DATABASE\" (scripts/db/bootstrap.sh)"
DATABASE_ADMIN_URL="$ADMIN_URL" SHOP_DB_NAME="$DATABASE" bash scripts/db/bootstrap.sh
if [ -x scripts/broker/bootstrap.sh ] && command -v "${RABBITMQCTL:-rabbitmqctl}" >/dev/null 2>&1; then
  step "Broker users (scripts/broker/bootstrap.sh)"
  bash scripts/broker/bootstrap.sh || echo "  (broker bootstrap failed: the services will report a degraded broker)"
fi

failed=0
for name in "${PROCESSES[@]}"; do
  image="shop/$name:dev"
  if [ -n "${OWNS_SCHEMA[$name]:-}" ]; then
    step "Migrating schema $name with the image (node dist/migrate.js)"
    node scripts/images/compose-env.mjs "migrate-$name" --database "$DATABASE" >"$work/migrate-$name.env"
    if ! oci run --rm "${hosts[@]}" "${hardened[@]}" --env-file "$work/migrate-$name.env" "$image" \
      node dist/migrate.js; then
      READY[$name]="migration failed"; failed=1; continue
    fi
  fi

  step "Starting $image"
  env=$(node scripts/images/compose-env.mjs "$name" --database "$DATABASE")
  port=$(( $(sed -n 's/^PORT=//p' <<<"$env") + 10000 ))
  overrides=("PORT=$port")
  probe=$port
  if grep -q '^ADMIN_PORT=' <<<"$env"; then
    probe=$(( $(sed -n 's/^ADMIN_PORT=//p' <<<"$env") + 10000 ))
    overrides+=("ADMIN_PORT=$probe")
  fi
  node scripts/images/compose-env.mjs "$name" --database "$DATABASE" "${overrides[@]}" >"$work/$name.env"
  container="shop-image-check-$name"
  containers+=("$container")
  oci run -d --replace --name "$container" "${hosts[@]}" "${hardened[@]}" --env-file "$work/$name.env" "$image" >/dev/null

  started=$SECONDS
  READY[$name]="no"
  while (( SECONDS - started < READY_TIMEOUT )); do
    if [ "$(podman inspect --format '{{.State.Running}}' "$container" 2>/dev/null)" != true ]; then
      READY[$name]="exited"; break
    fi
    if node -e "fetch('http://127.0.0.1:$probe/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
      READY[$name]="yes ($((SECONDS - started)) s)"; break
    fi
    sleep 1
  done
  UID_OF[$name]="$(podman exec "$container" id -u 2>/dev/null || podman image inspect --format '{{.Config.User}}' "$image")"
  # The readiness body names what is up: the database, and the broker and Redis it only degrades without.
  HEALTH[$name]="$(node -e "fetch('http://127.0.0.1:$probe/health/ready').then((r) => r.json()).then((body) => {
    const down = Object.entries(body.checks ?? {}).filter(([, check]) => check.status !== 'up').map(([name]) => name);
    console.log(body.status + (down.length ? ' (' + down.join(', ') + ' down)' : ''));
  }, () => console.log('-'))")"
  echo "  ready: ${READY[$name]}, health ${HEALTH[$name]}, uid ${UID_OF[$name]}, probe http://127.0.0.1:$probe/health/ready"
  if [[ "${READY[$name]}" != yes* ]]; then
    echo "  last log lines of $container:"; podman logs --tail 30 "$container" 2>&1 | sed 's/^/    /'
    failed=1
  elif [ "${UID_OF[$name]}" = 0 ] || [ "${UID_OF[$name]}" = root ]; then
    echo "  $image runs as root"; failed=1
  fi
  podman rm -f "$container" >/dev/null
done

step "Summary"
printf '%-20s %-10s %-16s %-24s %s\n' IMAGE SIZE READY HEALTH UID
for name in "${PROCESSES[@]}"; do
  printf '%-20s %-10s %-16s %-24s %s\n' "shop/$name:dev" "${SIZE[$name]:-?}" "${READY[$name]:-not run}" \
    "${HEALTH[$name]:--}" "${UID_OF[$name]:-?}"
done
[ "$failed" = 0 ] || fail "some images did not become ready as a non-root user (see above)"
echo "All images built, started, ready and non-root."
