import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * A Sentry-compatible ingest endpoint on 127.0.0.1 for tests: it accepts the SDK's envelopes
 * (POST /api/<project>/envelope/, gzipped or not) and keeps each one as text. Point the SDK at
 * `dsn` and nothing leaves the machine.
 */
export interface SentryCapture {
  dsn: string;
  envelopes: string[];
  /** The event items (errors) of every envelope received so far. */
  events(): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startSentryCapture(): Promise<SentryCapture> {
  const envelopes: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const text =
        request.headers['content-encoding'] === 'gzip'
          ? gunzipSync(body).toString('utf8')
          : body.toString('utf8');
      if (request.method === 'POST' && /^\/api\/\d+\/envelope\/?/.test(request.url ?? '')) {
        envelopes.push(text);
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    dsn: `http://public@127.0.0.1:${address.port}/1`,
    envelopes,
    events() {
      // An envelope: a header line, then item header / item payload pairs.
      const events: Record<string, unknown>[] = [];
      for (const envelope of envelopes) {
        const lines = envelope.split('\n').filter(Boolean);
        for (let i = 1; i + 1 < lines.length; i += 2) {
          const header = JSON.parse(lines[i]!) as { type?: string };
          if (header.type === 'event')
            events.push(JSON.parse(lines[i + 1]!) as Record<string, unknown>);
        }
      }
      return events;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
