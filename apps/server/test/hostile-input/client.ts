import { Agent, request as httpRequest } from 'node:http';
import { sampleOf, type Field, type Operation } from './operations.js';
import { RawJson, RawUrl } from './values.js';

// Builds and sends one request over a real socket, so that a dropped connection or a hang shows
// as such (app.inject() cannot drop a connection).

export interface HostileRequest {
  method: string;
  /** Path and query, percent-encoded as they go on the wire. */
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface Outcome {
  status?: number;
  body?: string;
  contentType?: string;
  failure?: 'hang' | 'dropped connection';
  detail?: string;
}

/** Percent-encodes text; a lone surrogate (which encodeURIComponent refuses) as its CESU-8 bytes. */
export function encodeText(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      out += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(value[i]!);
    }
  }
  return out;
}

function urlValue(value: unknown): string {
  if (value instanceof RawUrl) return value.text;
  if (value instanceof RawJson) return encodeText(value.text);
  return encodeText(typeof value === 'string' ? value : JSON.stringify(value));
}

/** JSON text of a value that may hold RawJson parts (kept verbatim). */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => `${JSON.stringify(key)}:${toJson(item)}`,
    );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A value per field: the override when given (`undefined` = leave the field out), else a sample. */
export type Overrides = Map<Field, unknown>;

export function buildRequest(
  operation: Operation,
  overrides: Overrides,
  extra: { body?: Buffer | RawJson; contentType?: string; query?: string } = {},
): HostileRequest {
  const valueOf = (field: Field) =>
    overrides.has(field) ? overrides.get(field) : sampleOf(field.name, field.schema);
  let path = operation.path;
  const query: string[] = [];
  for (const field of operation.params) {
    const value = valueOf(field);
    if (field.in === 'path') {
      path = path.replace(`{${field.name}}`, urlValue(value ?? 'x'));
    } else if (value !== undefined && (overrides.has(field) || field.required)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        query.push(`${encodeURIComponent(field.name)}=${urlValue(item)}`);
      }
    }
  }
  if (extra.query) query.push(extra.query);
  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  if (extra.body instanceof Buffer) body = extra.body;
  else if (extra.body instanceof RawJson) body = Buffer.from(extra.body.text);
  else if (operation.body?.json) {
    const object: Record<string, unknown> = {};
    for (const field of operation.body.fields) {
      const value = valueOf(field);
      if (value !== undefined) object[field.name] = value;
    }
    body = Buffer.from(toJson(object));
  } else if (operation.body) {
    body = Buffer.from('full_name,email\nFuzz Person,fuzz@example.com\n');
  }
  if (body)
    headers['content-type'] =
      extra.contentType ?? operation.body?.contentType ?? 'application/json';
  return {
    method: operation.method,
    url: query.length > 0 ? `${path}?${query.join('&')}` : path,
    headers,
    ...(body ? { body } : {}),
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

export function send(
  port: number,
  request: HostileRequest,
  identity: Record<string, string>,
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: request.method,
        path: request.url,
        headers: {
          ...identity,
          ...request.headers,
          ...(request.body ? { 'content-length': String(request.body.length) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) =>
          resolve({ failure: 'dropped connection', detail: error.message }),
        );
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: String(response.headers['content-type'] ?? ''),
          }),
        );
      },
    );
    outgoing.setTimeout(timeoutMs, () => {
      resolve({ failure: 'hang', detail: `no answer within ${timeoutMs} ms` });
      outgoing.destroy();
    });
    outgoing.on('error', (error) =>
      resolve({ failure: 'dropped connection', detail: error.message }),
    );
    outgoing.end(request.body);
  });
}

export function closeClient(): void {
  agent.destroy();
}
