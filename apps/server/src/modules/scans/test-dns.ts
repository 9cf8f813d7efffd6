import dgram from 'node:dgram';

/**
 * A tiny authoritative DNS server on 127.0.0.1 (UDP) for tests: it answers TXT queries from a
 * table and NXDOMAIN for any other name, so the DNS verification is tested against a real
 * resolver exchange. Point `SCAN_DNS_SERVERS` at `127.0.0.1:<port>`.
 */
export interface TestDnsServer {
  port: number;
  txt: Map<string, string[]>;
  close(): Promise<void>;
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (message[at]! !== 0) {
    const length = message[at]!;
    labels.push(message.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += 1 + length;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function answer(query: Buffer, records: string[] | undefined): Buffer {
  const { end } = readName(query, 12);
  const question = query.subarray(12, end + 4);
  const qtype = query.readUInt16BE(end);
  const matches = qtype === 16 ? (records ?? []) : [];
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2); // same id
  // QR + AA + RD (copied) + RA; NXDOMAIN when the name is unknown.
  header.writeUInt16BE(0x8580 | (query.readUInt16BE(2) & 0x0100) | (records ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(matches.length, 6);
  const answers = matches.map((value) => {
    const text = Buffer.from(value, 'utf8');
    // A TXT value is a series of strings of at most 255 bytes each.
    const chunks: Buffer[] = [];
    for (let at = 0; at < text.length || at === 0; at += 255) {
      const chunk = text.subarray(at, at + 255);
      chunks.push(Buffer.from([chunk.length]), chunk);
      if (text.length === 0) break;
    }
    const rdata = Buffer.concat(chunks);
    const fixed = Buffer.alloc(12);
    fixed.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    fixed.writeUInt16BE(16, 2); // TXT
    fixed.writeUInt16BE(1, 4); // IN
    fixed.writeUInt32BE(60, 6);
    fixed.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([fixed, rdata]);
  });
  return Buffer.concat([header, question, ...answers]);
}

export async function startTestDnsServer(): Promise<TestDnsServer> {
  const txt = new Map<string, string[]>();
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, remote) => {
    try {
      const { name } = readName(message, 12);
      socket.send(answer(message, txt.get(name)), remote.port, remote.address);
    } catch {
      // A malformed query gets no answer, as from a real server.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    txt,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
