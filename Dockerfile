# syntax=docker/dockerfile:1
# One image for all four processes of the platform. docker-compose.yml picks the process with its `command`:
#   node services/partners/dist/main.js | node services/cases/dist/main.js | node services/referrals/dist/main.js
#   node gateway/dist/main.js
# No HEALTHCHECK here: the checks differ per process and are defined in docker-compose.yml.

# --- build: install everything, compile (tsc -b), then drop the devDependencies ---------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app

# Manifests first, so that `npm ci` stays cached while only sources change.
COPY package.json package-lock.json ./
COPY packages/common/package.json packages/common/
COPY packages/platform/package.json packages/platform/
COPY packages/bench/package.json packages/bench/
COPY packages/client/package.json packages/client/
COPY apps/console/package.json apps/console/
COPY services/partners/package.json services/partners/
COPY services/cases/package.json services/cases/
COPY services/referrals/package.json services/referrals/
COPY gateway/package.json gateway/
RUN npm ci --no-audit --no-fund

COPY tsconfig.json ./
COPY scripts scripts
COPY packages packages
COPY services services
COPY gateway gateway
COPY apps apps
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code, production dependencies, checked-in schemas; no sources, no compiler ---------------
FROM node:20-bookworm-slim AS runtime
# The heap limit npm start gives its processes (SERVICE_HEAP_LIMIT_MB, packages/platform/src/stack.ts): V8 collects
# before a process grows far beyond what it uses. Raise it with the container's memory limit.
ENV NODE_ENV=production HOST=0.0.0.0 NODE_OPTIONS=--max-old-space-size=160
WORKDIR /app

COPY --from=build /app/package.json /app/package-lock.json ./
# Includes the workspace links node_modules/@integration-graph/* -> ../../<workspace> (relative symlinks).
COPY --from=build /app/node_modules ./node_modules

COPY --from=build /app/packages/common/package.json packages/common/
COPY --from=build /app/packages/common/dist packages/common/dist
COPY --from=build /app/packages/platform/package.json packages/platform/
COPY --from=build /app/packages/platform/dist packages/platform/dist
# The benchmark's manifest only (its workspace link must resolve for npm; the benchmark itself is not shipped).
COPY --from=build /app/packages/bench/package.json packages/bench/
# The client SDK's manifest: the operations the gateway accepts from municipal apps and anonymous callers in
# production (TRUSTED_DOCUMENTS, docs/security.md).
COPY --from=build /app/packages/client/package.json /app/packages/client/persisted-operations.json packages/client/
COPY --from=build /app/packages/client/dist packages/client/dist
# The web console (static files), served by the gateway at / (CONSOLE_DIR; docs/console.md).
COPY --from=build /app/apps/console/package.json apps/console/
COPY --from=build /app/apps/console/dist apps/console/dist

COPY --from=build /app/services/partners/package.json /app/services/partners/schema.graphql services/partners/
COPY --from=build /app/services/partners/dist services/partners/dist
COPY --from=build /app/services/cases/package.json /app/services/cases/schema.graphql services/cases/
COPY --from=build /app/services/cases/dist services/cases/dist
COPY --from=build /app/services/referrals/package.json /app/services/referrals/schema.graphql services/referrals/
COPY --from=build /app/services/referrals/dist services/referrals/dist

# The gateway serves the static supergraph read from gateway/supergraph.graphql at start.
COPY --from=build /app/gateway/package.json /app/gateway/supergraph.graphql gateway/
COPY --from=build /app/gateway/dist gateway/dist

# Files stay owned by root: the processes can read their code but not change it.
USER node
CMD ["node", "gateway/dist/main.js"]
