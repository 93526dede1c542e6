// One problem with the generator's props: the field (in spec-file terms, e.g. `steps.weights[2]`) and an exact
// message. Invariants collect every problem before failing, so a user fixes them all in one go.
export interface SpecProblem {
  /** Dotted path with [index] for arrays, as in the spec file. */
  readonly path: string;
  readonly message: string;
}

export class RolloutSpecError extends Error {
  override readonly name = 'RolloutSpecError';
  constructor(readonly problems: readonly SpecProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
}

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** RFC 7230 token: what an HTTP header name may hold. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Go duration as Argo parses pause and interval values, e.g. 30s, 5m, 1h30m. */
export const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

export function isDnsLabel(value: string, max = 63): boolean {
  return value.length <= max && DNS_LABEL.test(value);
}
