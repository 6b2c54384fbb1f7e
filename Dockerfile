# syntax=docker/dockerfile:1
# channelgraph, one image for the graph (the default command) and the vendor simulators:
#   docker build -t channelgraph .
#   docker run --rm -p 127.0.0.1:4000:4000 --env-file .env channelgraph
#   docker run --rm channelgraph node dist/src/simulators/cli.js --host 0.0.0.0
# The build stage compiles TypeScript and bundles the page assets; the runtime stage has production dependencies only,
# the compiled dist/ and the SDL in schema/, and runs as the unprivileged user `node`.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped here (prepare would build before the sources are in); nothing needs them.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY src ./src
COPY examples ./examples
# tsc into dist/, then the browser pages' assets into dist/public (esbuild, a devDependency).
RUN npm run build

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY schema ./schema
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
