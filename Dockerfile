# Multi-stage image for the API and the worker (same image, different command).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` (not ci): the lock lists only the platform packages of the machine that wrote it.
RUN npm install --omit=dev --no-audit --no-fund

# The backend compiled to dist/ with its workflow bundle (`npm run build`: tsc and the Temporal
# bundler, both dev-time tools the runtime image does without).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY migrations ./migrations
RUN npm run build

# The admin dashboard (admin/, served by the API at /admin); it imports the pure src/domain modules.
FROM node:20-bookworm-slim AS admin
WORKDIR /app/admin
COPY admin/package.json admin/package-lock.json ./
RUN npm install --no-audit --no-fund
COPY admin ./
COPY src/domain ../src/domain
RUN npm run build

# Runs the compiled code only. MALLOC_ARENA_MAX and each command's node flags are production's
# memory settings (scripts/lib/build.js, README "Memory"); docker-compose.yml runs the worker
# and migrations from the same image.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY --from=admin /app/admin/dist ./admin/dist
USER node
EXPOSE 3000
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=30", "dist/src/api/main.js"]
