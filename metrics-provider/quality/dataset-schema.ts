// The JSON Schemas of a dataset file: one for an item (the same in YAML and JSONL), one for a YAML document.
// A scorer's own options and `expected` are checked after these, by the scorer registry.

export const DATASET_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
const TEXT = { type: 'string', pattern: '\\S' };

export const ITEM_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' },
    messages: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['role', 'content'],
        properties: { role: { enum: ['system', 'user', 'assistant'] }, content: TEXT },
      },
    },
    prompt: TEXT,
    expected: {},
    answer: TEXT,
    wrong: TEXT,
    scorer: {
      type: 'object',
      required: ['type'],
      properties: { type: { type: 'string', minLength: 1 } },
    },
    weight: { type: 'number', exclusiveMinimum: 0, maximum: 1000 },
    tags: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    },
    maxTokens: { type: 'integer', minimum: 1, maximum: 32768 },
  },
} as const;

export const DOCUMENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['items'],
  properties: {
    name: { type: 'string', pattern: DATASET_NAME_PATTERN },
    description: { type: 'string' },
    items: { type: 'array', minItems: 1 },
  },
} as const;
