# The image of every process: each service and the gateway. Two build
# arguments choose which, as docker-compose.yml passes them:
#   APP_DIR    its workspace folder (services/users, …, gateway)
#   APP_PORTS  the ports it listens on (documentation: EXPOSE)
# Build from the repository root:
#   docker build --build-arg APP_DIR=services/users --build-arg APP_PORTS=3001 -t shop/users .
#
# Each stage declares an argument only where it first needs it: the steps
# above that are the same for every image, so they are built once and shared
# through the layer cache.

# 1. Every workspace's dependencies, dev ones included (the compiler). Only the
#    manifests are copied, so this layer is rebuilt only when they change.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY services/users/package.json services/users/
COPY services/items/package.json services/items/
COPY services/orders/package.json services/orders/
COPY services/inventory/package.json services/inventory/
COPY gateway/package.json gateway/
COPY client/package.json client/
RUN npm ci --no-audit --no-fund

# 2. Compile @shop/shared (shared by every image), then this package.
FROM deps AS build
COPY tsconfig.base.json ./
COPY shared/ shared/
RUN npx tsc -b shared
ARG APP_DIR
COPY ${APP_DIR}/ ${APP_DIR}/
RUN npx tsc -b ${APP_DIR}

# 3. The production dependencies of this package alone: no compiler, and none
#    of the root's dev tools (such as the `node` package the scripts run on).
FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY services/users/package.json services/users/
COPY services/items/package.json services/items/
COPY services/orders/package.json services/orders/
COPY services/inventory/package.json services/inventory/
COPY gateway/package.json gateway/
COPY client/package.json client/
ARG APP_DIR
RUN npm ci --omit=dev --workspace ${APP_DIR} --no-audit --no-fund

# 4. What runs: production dependencies and compiled JavaScript, as user node.
#    Migrations run from this image too: `node dist/migrate.js`.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
# Every interface of the container: the other containers reach it over their
# network, never over its loopback. The code's default too, but said here.
ENV HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /app/shared/dist shared/dist
ARG APP_DIR
COPY --from=build /app/${APP_DIR}/dist ${APP_DIR}/dist
WORKDIR /app/${APP_DIR}
USER node
ARG APP_PORTS
EXPOSE ${APP_PORTS}
CMD ["node", "dist/main.js"]
