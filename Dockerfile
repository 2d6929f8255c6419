# One image for every deployable of the exchange; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY proto ./proto
RUN npm run build
# The compiled apps resolve the @exchange/* aliases against dist/ (tsconfig-paths).
ENV NODE_ENV=production HOST=0.0.0.0 DATA_DIR=/data TS_NODE_BASEURL=./dist
RUN mkdir -p /data /keys && chown node:node /data /keys
USER node
CMD ["node", "-r", "tsconfig-paths/register", "dist/apps/exchange/src/main.js"]
