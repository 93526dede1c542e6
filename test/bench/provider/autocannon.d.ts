// The part of autocannon's API the provider benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Percentiles {
    readonly average: number;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
  }
  interface Result {
    readonly latency: Percentiles;
    readonly requests: Percentiles & { readonly total: number };
    readonly duration: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly non2xx: number;
    readonly '2xx': number;
  }
  interface Options {
    readonly url: string;
    readonly connections?: number;
    readonly duration?: number;
    readonly method?: string;
    readonly headers?: Record<string, string>;
    readonly body?: string;
    readonly requests?: ReadonlyArray<{
      readonly method?: string;
      readonly path?: string;
      readonly body?: string;
      readonly headers?: Record<string, string>;
    }>;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
