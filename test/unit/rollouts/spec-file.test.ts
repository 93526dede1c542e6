// The spec file: validated with ajv, every problem naming the file, the line and the field.
import { describe, expect, it } from 'vitest';
import { loadSpecFile, SpecFileError, specToOptions, generateManifests } from '../../../rollouts/index.js';

const VALID = `name: llama
namespace: llm
model: meta-llama/Llama-3.1-8B-Instruct
image: vllm/vllm-openai:v0.11.0
router: istio
`;

function problems(text: string): readonly string[] {
  try {
    loadSpecFile('spec.yaml', text);
  } catch (error) {
    if (error instanceof SpecFileError) return error.lines;
    throw error;
  }
  return [];
}

describe('the spec file', () => {
  it('when minimal and valid then it becomes props the generator accepts', () => {
    const loaded = loadSpecFile('spec.yaml', VALID);
    expect(generateManifests(specToOptions(loaded.spec)).map((o) => o.kind)).toContain('VirtualService');
  });

  it.each([
    [
      'a missing field',
      VALID.replace('image: vllm/vllm-openai:v0.11.0\n', ''),
      'spec.yaml:1:1: image: is required',
    ],
    ['an unknown field', `${VALID}replica: 3\n`, 'spec.yaml:6:1: replica: is not a known field'],
    ['a wrong type', `${VALID}replicas: three\n`, 'spec.yaml:6:1: replicas: must be integer'],
    [
      'a bad router',
      VALID.replace('router: istio', 'router: traefik'),
      'spec.yaml:5:1: router: must be one of gateway-api, nginx, istio',
    ],
    [
      'a nested unknown field',
      `${VALID}steps:\n  weights: [10, 20]\n  manualgate: true\n`,
      'spec.yaml:8:3: steps.manualgate: is not a known field',
    ],
    [
      'an array item of the wrong type',
      `${VALID}steps:\n  weights: [10, "x"]\n`,
      'spec.yaml:7:17: steps.weights[1]: must be integer',
    ],
    [
      'gateway-api without its section',
      VALID.replace('router: istio', 'router: gateway-api'),
      'spec.yaml:1:1: gatewayApi: is required',
    ],
    [
      'a section for another router',
      `${VALID}nginx:\n  host: a.example.com\n`,
      'spec.yaml:6:1: nginx: applies only to router nginx, but router is istio',
    ],
    ['a YAML syntax error', 'name: [llama\n', 'spec.yaml:2:1:'],
  ])('when it has %s then the problem names the file, line and field', (_label, text, expected) => {
    expect(problems(text).join('\n')).toContain(expected);
  });
});
