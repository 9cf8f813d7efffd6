import { writeSync } from 'node:fs';

/** What pino needs from a destination, plus a synchronous flush for exit paths. */
export interface BatchedDestination {
  write(line: string): void;
  flush(done?: (error?: Error) => void): void;
  flushSync(): void;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Writes all of `text`, retrying short writes and a full non-blocking pipe (EAGAIN). */
function writeAll(fd: number, text: string): void {
  let data = Buffer.from(text);
  while (data.length > 0) {
    try {
      data = data.subarray(writeSync(fd, data));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      sleep(1);
    }
  }
}

/**
 * Standard output for JSON logs: the lines logged during one turn of the event loop are written
 * together, synchronously, right after it (setImmediate). A busy server makes one `write` call
 * for many lines, an idle one writes each line at once, and no write goes through libuv's thread
 * pool: with asynchronous fs writes, handing each write to a pool thread and back cost more CPU
 * than the write itself (measured: about a tenth of a lead creation's server time). A SIGKILL
 * loses at most the current turn's lines; every other exit flushes them.
 */
export function batchedStdout(fd = 1): BatchedDestination {
  let pending: string[] = [];
  let scheduled = false;
  const flushSync = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    writeAll(fd, text);
  };
  process.on('exit', flushSync);
  return {
    write(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flushSync);
      }
    },
    flush(done) {
      try {
        flushSync();
        done?.();
      } catch (error) {
        done?.(error as Error);
      }
    },
    flushSync,
  };
}

/**
 * The longest line written, in bytes. Docker's json-file driver splits longer lines into
 * partial records, and a line that long is a bug in what was logged, not information.
 */
export const MAX_LINE_BYTES = 16 * 1024;
const MAX_STRING = 1024;
// What a line cut to its bones keeps: enough to find it, its request and its error.
const CORE_FIELDS = ['level', 'time', 'pid', 'hostname', 'service', 'version', 'requestId', 'msg'];

function shortenStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}… [${value.length - MAX_STRING} more chars]`
      : value;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[nested too deep]';
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((item) => shortenStrings(item, depth + 1));
    if (value.length > 20) items.push(`[${value.length - 20} more items]`);
    return items;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = shortenStrings(item, depth + 1);
  return copy;
}

function cutLine(line: string, bytes: number, maxBytes: number): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    entry = { msg: line.slice(0, MAX_STRING) };
  }
  const truncated = { bytes };
  let text = JSON.stringify({ ...(shortenStrings(entry, 0) as object), truncated });
  if (Buffer.byteLength(text) < maxBytes) return `${text}\n`;
  const core: Record<string, unknown> = {};
  for (const field of CORE_FIELDS)
    if (field in entry) core[field] = shortenStrings(entry[field], 4);
  const err = entry.err as Record<string, unknown> | undefined;
  if (err && typeof err === 'object') {
    core.err = shortenStrings({ type: err.type, message: err.message, code: err.code }, 3);
  }
  text = JSON.stringify({ ...core, truncated });
  return `${text}\n`;
}

/**
 * Caps one serialized log line (pino's streamWrite hook: every destination, JSON or pretty).
 * Short lines, all of them in practice, cost one comparison; a longer one is re-serialized with
 * its long strings shortened, or cut to its core fields, and says `truncated: {bytes}`.
 */
export function capLine(line: string, maxBytes = MAX_LINE_BYTES): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8: most lines need no byte count at all.
  if (line.length * 3 <= maxBytes) return line;
  const bytes = Buffer.byteLength(line);
  return bytes <= maxBytes ? line : cutLine(line, bytes, maxBytes);
}
