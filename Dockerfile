# Multi-stage image for the API and the worker (same image, different command).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install` (not ci): the lock lists only the platform packages of the machine that wrote it.
RUN npm install --omit=dev --no-audit --no-fund

# The admin dashboard (admin/, served by the API at /admin); it imports the pure src/domain modules.
FROM node:20-bookworm-slim AS admin
WORKDIR /app/admin
COPY admin/package.json admin/package-lock.json ./
RUN npm install --no-audit --no-fund
COPY admin ./
COPY src/domain ../src/domain
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY workers ./workers
COPY migrations ./migrations
COPY --from=admin /app/admin/dist ./admin/dist
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/api/main.ts"]
