# The vllm-canary image: the web metric provider (`vllm-canary serve`) and the rest of the command line.
#
#   docker build -t <registry>/vllm-canary:$(node -p 'require("./package.json").version') .
#
# Two stages: `build` compiles the TypeScript (npm run build -> dist/, tests excluded by tsconfig.build.json);
# `runtime` holds only production dependencies, dist/, bin/, the rendered AnalysisTemplates and the shipped quality
# datasets, and runs as the unprivileged numeric user 65532 (the Helm chart's runAsUser), so it works with
# runAsNonRoot and a read-only root filesystem. Base images are pinned by exact tag; CI may pin them by digest.
# The chart passes the same arguments as CMD; /etc/vllm-canary/config.yaml is its ConfigMap.

ARG NODE_IMAGE=node:20.19.5-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY bin ./bin
COPY --from=build /src/dist ./dist
COPY analysis-templates/rendered ./analysis-templates/rendered
COPY metrics-provider/quality/datasets ./metrics-provider/quality/datasets
# Read at run time beside the compiled code (`vllm-canary lint`), which tsc does not copy.
COPY rollouts/lint/schemas/crd-schemas.json ./dist/rollouts/lint/schemas/crd-schemas.json
LABEL org.opencontainers.image.title="vllm-canary" \
      org.opencontainers.image.description="Canary analysis for vLLM model rollouts with Argo Rollouts: the web metric provider" \
      org.opencontainers.image.licenses="Apache-2.0"
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["node", "bin/vllm-canary.js"]
CMD ["serve", "--config", "/etc/vllm-canary/config.yaml"]
