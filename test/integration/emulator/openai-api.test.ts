import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/index.js';
import { postJson, postStream } from './http-client.js';

const MODEL = 'test-model';
const BOOK = {
  items: [
    {
      prompt: 'What is the capital of France?',
      correct: 'Paris is the capital.',
      wrong: 'Lyon is the capital.',
    },
  ],
};

describe('the OpenAI-compatible API over HTTP', () => {
  let right: RunningEmulator;
  let wrong: RunningEmulator;

  beforeAll(async () => {
    right = await startEmulator({
      model: MODEL,
      generation: 'current',
      timeScale: 200,
      answerBook: BOOK,
      profile: { accuracy: 1 },
    });
    wrong = await startEmulator({
      model: MODEL,
      generation: 'legacy',
      timeScale: 200,
      answerBook: BOOK,
      profile: { accuracy: 0 },
    });
  });
  afterAll(async () => {
    await Promise.all([right?.close(), wrong?.close()]);
  });

  it.each([
    {
      when: 'accuracy is 1 and the prompt is in the book',
      server: () => right,
      content: 'Paris is the capital.',
    },
    {
      when: 'accuracy is 0 and the prompt is in the book',
      server: () => wrong,
      content: 'Lyon is the capital.',
    },
  ])('when $when then the chat answer is "$content"', async ({ server, content }) => {
    const answer = await postJson(`${server().url}/v1/chat/completions`, {
      model: MODEL,
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: '  What is the capital of France?  ' },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      object: 'chat.completion',
      model: MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { completion_tokens: 4 },
    });
  });

  it('when a completion asks for 3 tokens of an unknown prompt then it gets 3 filler tokens cut by length', async () => {
    const answer = await postJson(`${right.url}/v1/completions`, {
      model: MODEL,
      prompt: 'Tell me a story',
      max_tokens: 3,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      object: 'text_completion',
      choices: [{ index: 0, finish_reason: 'length' }],
      usage: { prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 },
    });
    const text = (answer.body as { choices: { text: string }[] }).choices[0]?.text ?? '';
    expect(text.split(' ')).toHaveLength(3);
  });

  it('when a chat is streamed then a role chunk, the tokens, a finish chunk, usage and [DONE] arrive', async () => {
    const answer = await postStream(`${right.url}/v1/chat/completions`, {
      model: MODEL,
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/event-stream/);
    expect(answer.done).toBe(true);
    expect(answer.events.every((event) => event.object === 'chat.completion.chunk')).toBe(true);
    const choices = answer.events.map(
      (event) =>
        (event.choices as { delta?: { role?: string; content?: string }; finish_reason: string | null }[])[0],
    );
    expect(choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(choices.map((choice) => choice?.delta?.content ?? '').join('')).toBe('Paris is the capital.');
    expect(choices.at(-2)?.finish_reason).toBe('stop');
    expect(answer.events.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 4 } });
    expect(new Set(answer.events.map((event) => event.id)).size).toBe(1);
  });

  it('when a completion is streamed then each token is one text chunk and the last says length', async () => {
    const answer = await postStream(`${right.url}/v1/completions`, {
      model: MODEL,
      prompt: 'Hi',
      max_tokens: 5,
      stream: true,
    });
    expect(answer.status).toBe(200);
    expect(answer.done).toBe(true);
    const choices = answer.events.map(
      (event) => (event.choices as { text: string; finish_reason: string | null }[])[0],
    );
    expect(choices).toHaveLength(6);
    expect(
      choices.slice(0, 5).every((choice) => choice?.finish_reason === null && choice.text.trim() !== ''),
    ).toBe(true);
    expect(choices[5]).toMatchObject({ text: '', finish_reason: 'length' });
  });

  it.each([
    {
      when: 'the body is malformed JSON',
      path: '/v1/chat/completions',
      body: '{"model": ',
      status: 400,
      type: 'BadRequestError',
      message: /JSON decode error/,
    },
    {
      when: 'the model is missing',
      path: '/v1/chat/completions',
      body: { messages: [{ role: 'user', content: 'hi' }] },
      status: 400,
      type: 'BadRequestError',
      message: /model/,
    },
    {
      when: 'the messages are missing',
      path: '/v1/chat/completions',
      body: { model: MODEL },
      status: 400,
      type: 'BadRequestError',
      message: /messages/,
    },
    {
      when: 'the messages are empty',
      path: '/v1/chat/completions',
      body: { model: MODEL, messages: [] },
      status: 400,
      type: 'BadRequestError',
      message: /messages/,
    },
    {
      when: 'the prompt is missing',
      path: '/v1/completions',
      body: { model: MODEL },
      status: 400,
      type: 'BadRequestError',
      message: /prompt/,
    },
    {
      when: 'max_tokens is 0',
      path: '/v1/completions',
      body: { model: MODEL, prompt: 'hi', max_tokens: 0 },
      status: 400,
      type: 'BadRequestError',
      message: /max_tokens/,
    },
    {
      when: 'the model is unknown (chat)',
      path: '/v1/chat/completions',
      body: { model: 'other', messages: [{ role: 'user', content: 'hi' }] },
      status: 404,
      type: 'NotFoundError',
      message: /^The model `other` does not exist\.$/,
    },
    {
      when: 'the model is unknown (completion)',
      path: '/v1/completions',
      body: { model: 'other', prompt: 'hi' },
      status: 404,
      type: 'NotFoundError',
      message: /^The model `other` does not exist\.$/,
    },
  ])('when $when then the answer is $status $type', async ({ path, body, status, type, message }) => {
    const answer = await postJson(`${right.url}${path}`, body);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ object: 'error', type, param: null, code: status });
    expect((answer.body as { message: string }).message).toMatch(message);
  });

  it('when /health is asked then it answers 200 with an empty body', async () => {
    const response = await fetch(`${right.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('when /v1/models is asked then it lists the served model only', async () => {
    const response = await fetch(`${right.url}/v1/models`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      object: 'list',
      data: [{ id: MODEL, object: 'model', owned_by: 'vllm' }],
    });
  });

  it('when an unknown route is asked then it answers 404 like FastAPI', async () => {
    const response = await fetch(`${right.url}/v2/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: 'Not Found' });
  });
});
