# syntax=docker/dockerfile:1.7
# The poller image that DynamoDBSource deploys. Build (multi-arch) and push:
#   docker buildx build --platform linux/amd64,linux/arm64 \
#     --build-arg VERSION=$(node -p 'require("./package.json").version') \
#     -t <registry>/dynamodb-source-poller:<version> --push .

ARG NODE_IMAGE=node:26-trixie-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs26-debian13:nonroot

# 1. Compile TypeScript with every dependency available.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: no install script is needed to compile (and @pulumi/kubernetes' one would try to fetch a plugin).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# 2. Production dependencies only: no dev tools, no Pulumi SDKs (peer dependencies of the component, unused by
#    the poller), no DynamoDB Local.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev --omit=peer

# 3. Runtime: distroless Node.js LTS, no shell, non-root (uid 65532).
FROM ${RUNTIME_IMAGE}
ARG VERSION=0.0.0-dev
LABEL org.opencontainers.image.title="dynamodb-source-poller" \
      org.opencontainers.image.description="DynamoDB Streams to CloudEvents poller deployed by the pulumi-dynamodb-source component" \
      org.opencontainers.image.source="https://github.com/pulumi-dynamodb-source/pulumi-dynamodb-source" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
# MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (V8's GC and compiler helpers, libuv's pool) an arena of
# its own, up to 8 per core, and their free pages stay resident. Two arenas: the poller's peak RSS draining into a
# slow sink fell by 2-8 MB (README, The container image). npm run bench gives the poller this same ENV.
ENV NODE_ENV=production MALLOC_ARENA_MAX=2
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
COPY package.json ./
USER 65532:65532
EXPOSE 8080 9092
# --max-semi-space-size=8 (MB): a smaller young generation than V8 sizes by itself. On Node.js 26, draining into a slow
# sink, peak RSS 121 MB with it, 135 MB with 16 and 172 MB with 32; the larger ones pause the poller less for GC
# (~3-4 us an event less, npm run bench's GC column), not worth that memory (README, The container image).
# npm run bench runs the poller with these same flags, read from this line.
ENTRYPOINT ["/nodejs/bin/node", "--max-semi-space-size=8", "/app/dist/src/cli/main.js", "poll"]
