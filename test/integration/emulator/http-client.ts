// Small HTTP helpers shared by the emulator's integration tests (real requests over 127.0.0.1).

export interface JsonAnswer {
  readonly status: number;
  readonly body: unknown;
}

export async function postJson(url: string, body: unknown): Promise<JsonAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

export interface StreamAnswer {
  readonly status: number;
  readonly contentType: string | null;
  /** Parsed `data:` events before `[DONE]`. */
  readonly events: readonly Record<string, unknown>[];
  readonly done: boolean;
}

export async function postStream(url: string, body: unknown): Promise<StreamAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const data = text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
  const done = data.at(-1) === '[DONE]';
  const events = data
    .filter((item) => item !== '[DONE]')
    .map((item) => JSON.parse(item) as Record<string, unknown>);
  return { status: response.status, contentType: response.headers.get('content-type'), events, done };
}

/** Sends `count` requests with at most `parallel` in flight; returns the HTTP statuses in request order. */
export async function sendMany(
  count: number,
  parallel: number,
  send: (index: number) => Promise<number>,
): Promise<number[]> {
  const statuses: number[] = new Array<number>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      statuses[index] = await send(index);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return statuses;
}
