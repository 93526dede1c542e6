export * from './vllm-metrics.js';
