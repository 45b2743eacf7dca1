#!/usr/bin/env bash
# Creates or updates Shop's RabbitMQ users on a running broker, with the
# permissions in broker-definitions.mjs (the same ones definitions.json holds
# for compose and k8s). Idempotent: run it again after changing a password.
#
#   RABBITMQ_VHOST   vhost to set up (default /); created if missing
#   USERS_BROKER_PASSWORD, ITEMS_BROKER_PASSWORD, ORDERS_BROKER_PASSWORD,
#   INVENTORY_BROKER_PASSWORD, GATEWAY_BROKER_PASSWORD
#                    passwords of the users <svc>_svc. The defaults,
#                    <svc>_broker_dev_password, are for local development ONLY.
#   RABBITMQCTL      how to reach rabbitmqctl (default: rabbitmqctl, which needs
#                    root or the rabbitmq user), e.g. "docker exec -i rabbitmq rabbitmqctl"
#
# Each service's user may declare and use only its own queues
# (<svc>.events, .dlq, .retry.<n>) and exchange (<svc>.events.direct), declare
# and publish to shop.events, and publish only its own event types there
# (topic permissions: ^order\. for orders_svc, …). Users are cluster-wide;
# permissions are per vhost.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vhost="${RABBITMQ_VHOST:-/}"
read -r -a rabbitmqctl <<<"${RABBITMQCTL:-rabbitmqctl}"

# One import instead of ~20 rabbitmqctl calls (each boots an Erlang VM):
# users, permissions, topic permissions and the exchange in one go. The
# passwords travel on stdin, never on a command line.
node "$here/broker-definitions.mjs" --vhost "$vhost" | "${rabbitmqctl[@]}" --quiet import_definitions
echo "broker bootstrap: vhost \"$vhost\" ready (users users_svc, items_svc, orders_svc, inventory_svc, gateway_svc)"
