# Multi-stage build: compile TypeScript, install production dependencies only, run as the non-root node user.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
COPY src/web/public ./src/web/public
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same Node flags as npm start and npm run start:prod (test/runtime-flags.test.ts): V8's baseline WebAssembly
# compiler only, a 16 MB young generation, and a full collection once the heap is half again what the last one kept
# (V8's own factor goes up to four); on Node 24 the embedded database idles at about 220 MB with them, 354 MB without,
# and under load at 1,000,000 incidents the service peaks at about 180 MB instead of 290 (docs/performance.md, "On the
# supported runtimes" and "A seventh 1,000,000 run").
CMD ["node", "--liftoff-only", "--max-semi-space-size=16", "--heap-growing-percent=50", "dist/src/server.js"]
