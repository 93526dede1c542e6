// A small OpenAI-compatible server for the sampler's tests: answers each prompt as a script says (right, wrong,
// HTTP 500, or never), and records what it received and when.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export type Behaviour = { answer: string } | { status: number } | 'hang';

export interface Received {
  readonly path: string;
  readonly at: number;
  readonly body: Record<string, unknown>;
  readonly authorization?: string;
  readonly prompt: string;
}

export interface FakeServer {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

function promptOf(body: Record<string, unknown>): string {
  if (typeof body.prompt === 'string') return body.prompt.trim();
  const messages = (body.messages ?? []) as Array<{ role: string; content: string }>;
  return (messages.filter((m) => m.role === 'user').at(-1)?.content ?? '').trim();
}

export async function startFakeOpenAi(behave: (prompt: string) => Behaviour): Promise<FakeServer> {
  const received: Received[] = [];
  const app = express();
  app.use(express.json());
  const handle = (chat: boolean) => (req: express.Request, res: express.Response) => {
    const body = req.body as Record<string, unknown>;
    const prompt = promptOf(body);
    received.push({
      path: req.path,
      at: Date.now(),
      body,
      prompt,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const behaviour = behave(prompt);
    if (behaviour === 'hang') return;
    if ('status' in behaviour) {
      res.status(behaviour.status).json({ object: 'error', message: 'boom', type: 'InternalServerError' });
      return;
    }
    const choice = chat
      ? { index: 0, message: { role: 'assistant', content: behaviour.answer }, finish_reason: 'stop' }
      : { index: 0, text: behaviour.answer, finish_reason: 'stop' };
    res.json({ id: 'x', object: chat ? 'chat.completion' : 'text_completion', choices: [choice] });
  };
  app.post('/v1/chat/completions', handle(true));
  app.post('/v1/completions', handle(false));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
