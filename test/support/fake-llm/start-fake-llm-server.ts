import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createH2cServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';

/**
 * What the fake answers to one request, in order; the last reply repeats.
 * `stallAfter`: send that many chunks, then keep the connection open and silent
 * (for idle-timeout tests) until the client gives up or the server closes.
 * `chunkDelayMs`: wait that long before each chunk (a slow model, for load tests).
 */
export type FakeReply =
  | { kind: 'stream'; chunks: string[]; usage?: { tokensIn: number; tokensOut: number }; stallAfter?: number; chunkDelayMs?: number }
  | { kind: 'status'; status: number; headers?: Record<string, string>; message?: string };

export type RecordedRequest = { method: string; url: string; headers: IncomingMessage['headers']; body: string };

type Req = IncomingMessage | Http2ServerRequest;
/** What the handler needs of an HTTP/1.1 or HTTP/2 compat response. */
type Res = {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: Uint8Array): unknown;
  end(body?: string): unknown;
  destroy(): unknown;
  flushHeaders?: () => void;
};

/** One provider's wire format: how a stream of text chunks and an error look on the wire. */
export type WireFormat = {
  name: string;
  contentType: string;
  /** The path (and query) the real SDK calls, asserted by the provider tests. */
  requestPath: RegExp;
  /** Cleartext HTTP/2 (h2c): the AWS SDK talks HTTP/2 to Bedrock Runtime. */
  http2?: boolean;
  /** Frames (bytes) for each text chunk, then the frames that end the stream. */
  frames(chunks: string[], usage: { tokensIn: number; tokensOut: number }, request: RecordedRequest): { text: Uint8Array[]; end: Uint8Array[] };
  error(status: number, message: string): { headers: Record<string, string>; body: string };
};

export type FakeLlmServer = {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the replies for the next requests. */
  reply(...replies: FakeReply[]): void;
  close(): Promise<void>;
};

/** A loopback HTTP server speaking `format`, recording every request body it receives. */
export async function startFakeLlmServer(format: WireFormat, replies: FakeReply[] = []): Promise<FakeLlmServer> {
  let queue = [...replies];
  const requests: RecordedRequest[] = [];

  async function handle(req: Req, res: Res) {
    let body = '';
    for await (const part of req) body += String(part);
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
    requests.push(recorded);
    const reply = (queue.length > 1 ? queue.shift() : queue[0]) ?? { kind: 'stream', chunks: ['(no reply configured)'] };
    if (reply.kind === 'status') {
      const error = format.error(reply.status, reply.message ?? `fake ${format.name} error ${reply.status}`);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...error.headers, ...reply.headers });
      res.end(error.body);
      return;
    }
    const usage = reply.usage ?? { tokensIn: 100, tokensOut: 50 };
    const { text, end } = format.frames(reply.chunks, usage, recorded);
    res.writeHead(200, { 'content-type': format.contentType, 'cache-control': 'no-cache' });
    res.flushHeaders?.();
    const stallAt = reply.stallAfter ?? Infinity;
    for (const [n, frame] of text.entries()) {
      if (n >= stallAt) return;
      if (reply.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
      res.write(frame);
      // Separate TCP writes, so clients really reassemble a stream.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (stallAt <= text.length) return;
    for (const frame of end) res.write(frame);
    res.end();
  }

  const onRequest = (req: Req, res: ServerResponse | Http2ServerResponse) => {
    handle(req, res as Res).catch(() => res.destroy());
  };
  const sessions = new Set<Http2Session>();
  const server = format.http2 ? createH2cServer(onRequest) : createServer(onRequest);
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(...next) {
      queue = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
export const sse = (data: unknown, event?: string): Uint8Array => utf8(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
