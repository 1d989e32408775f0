import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Analysis, SimilarCase } from '../../src/domain/analysis.js';
import { emptyEvidence } from '../../src/domain/evidence.js';
import type { IncidentSubject } from '../../src/domain/types.js';
import type { AnalysisStream, DeliverInput } from '../../src/pipeline/stages.js';

/**
 * A wire-level fake of the Slack Web API (https://docs.slack.dev/reference/methods),
 * for driving the real `@slack/web-api` client in tests. It speaks what the SDK sends
 * (POST /api/<method>, form-encoded with JSON-encoded arrays, or JSON), checks the
 * Bearer token, keeps channels, messages, threads and reactions in memory, records
 * every call, and can be told to answer 429 + Retry-After, 500, hang, or a Slack error.
 */

export type FakeSlackCall = {
  method: string;
  /** From the injected clock (Date.now by default), when the request arrived. */
  at: number;
  body: Record<string, unknown>;
  status: number;
  /** Slack's `error` code when `ok` was false. */
  error: string | null;
  /** The bearer token the call carried (tells apart replicas given different tokens). */
  token: string | null;
};

export type FakeSlackMessage = {
  channel: string;
  ts: string;
  threadTs: string | null;
  text: string;
  blocks: unknown[];
  user: string | null;
  botId: string | null;
  /** reaction name → user IDs */
  reactions: Map<string, Set<string>>;
  /** chat.update calls applied to this message. */
  edits: number;
  /** chat.postMessage's `metadata`, returned by conversations.history only with `include_all_metadata`. */
  metadata: { event_type: string; event_payload: Record<string, unknown> } | null;
};

export type FakeFailure = { status: 429; retryAfterSec: number } | { status: 500 } | { error: string } | { hang: true };

export type FakeSlackOptions = {
  token?: string;
  /** More bot tokens accepted besides `token`, as if several apps shared the workspace. */
  extraTokens?: string[];
  clock?: () => number;
  /** When set, only these channels exist (names with or without `#`, or IDs). */
  channels?: string[];
};

export type FakeSlack = {
  /** Base URL for `slackApiUrl` / `SLACK_API_URL`, ending in `/api/`. */
  url: string;
  token: string;
  calls: FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /** Answers the next `times` calls to `method` ('*' for any) with this failure. */
  fail(method: string, failure: FakeFailure, times?: number): void;
  clearFailures(): void;
  /** Answers 429 (Retry-After 1) once `method` has had `perMinute` successful calls in the last minute. */
  enforceRateLimit(method: string, perMinute: number): void;
  messages(channel?: string): FakeSlackMessage[];
  message(channel: string, ts: string): FakeSlackMessage | undefined;
  /** Parent first, then replies in order. */
  thread(channel: string, ts: string): FakeSlackMessage[];
  addReaction(channel: string, ts: string, name: string, user: string): void;
  addReply(channel: string, threadTs: string, reply: { text: string; user: string }): FakeSlackMessage;
  channelId(nameOrId: string): string;
  close(): Promise<void>;
};

const BOT_USER = 'UK8FLEXBOT';
const BOT_ID = 'BK8FLEX';

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-test-token';
  const accepted = new Set([token, ...(options.extraTokens ?? [])].map((t) => `Bearer ${t}`));
  const clock = options.clock ?? Date.now;
  const calls: FakeSlackCall[] = [];
  const failures: { method: string; failure: FakeFailure; remaining: number }[] = [];
  const limits = new Map<string, number>();
  const messages: FakeSlackMessage[] = [];
  const known = options.channels ? new Set(options.channels.map((c) => channelId(c))) : null;
  let seq = 0;

  function channelId(nameOrId: string): string {
    const bare = nameOrId.replace(/^#/, '');
    return /^[CGD][A-Z0-9]+$/.test(bare) ? bare : `C${bare.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
  }
  const nextTs = (): string => `${Math.floor(clock() / 1000)}.${String(++seq).padStart(6, '0')}`;
  const find = (channel: string, ts: string): FakeSlackMessage | undefined =>
    messages.find((m) => m.channel === channelId(channel) && m.ts === ts);
  const threadOf = (channel: string, ts: string): FakeSlackMessage[] => {
    const id = channelId(channel);
    const parent = messages.find((m) => m.channel === id && m.ts === ts);
    return parent ? [parent, ...messages.filter((m) => m.channel === id && m.threadTs === ts && m.ts !== ts)] : [];
  };
  const wire = (m: FakeSlackMessage, withMetadata = false): Record<string, unknown> => ({
    type: 'message',
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    ts: m.ts,
    text: m.text,
    blocks: m.blocks,
    ...(m.user ? { user: m.user } : {}),
    ...(m.botId ? { bot_id: m.botId } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.reactions.size > 0
      ? { reactions: [...m.reactions].map(([name, users]) => ({ name, users: [...users], count: users.size })) }
      : {}),
  });
  const asArray = (v: unknown): unknown[] => {
    if (Array.isArray(v)) return v;
    if (typeof v === 'string' && v.length > 0) return JSON.parse(v) as unknown[];
    return [];
  };
  const asMetadata = (v: unknown): FakeSlackMessage['metadata'] => {
    const parsed: unknown = typeof v === 'string' && v.length > 0 ? JSON.parse(v) : v;
    if (!parsed || typeof parsed !== 'object') return null;
    const { event_type: type, event_payload: payload } = parsed as Record<string, unknown>;
    return typeof type === 'string' ? { event_type: type, event_payload: (payload ?? {}) as Record<string, unknown> } : null;
  };
  const flag = (v: unknown): boolean => v === true || v === 'true' || v === '1';
  const channelError = (channel: unknown): string | null => {
    if (typeof channel !== 'string' || channel.length === 0) return 'channel_not_found';
    return known && !known.has(channelId(channel)) ? 'channel_not_found' : null;
  };

  const methods: Record<string, (b: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ url: 'https://fake.slack.com/', team: 'Fake', user: 'k8flex', team_id: 'T0FAKE', user_id: BOT_USER, bot_id: BOT_ID }),
    'chat.postMessage': (b) => {
      const err = channelError(b.channel);
      if (err) return { ok: false, error: err };
      const channel = channelId(String(b.channel));
      const threadTs = typeof b.thread_ts === 'string' ? b.thread_ts : null;
      if (threadTs && !find(channel, threadTs)) return { ok: false, error: 'thread_not_found' };
      const m: FakeSlackMessage = { channel, ts: nextTs(), threadTs, text: String(b.text ?? ''), blocks: asArray(b.blocks), user: BOT_USER, botId: BOT_ID, reactions: new Map(), edits: 0, metadata: asMetadata(b.metadata) };
      messages.push(m);
      return { channel, ts: m.ts, message: wire(m, true) };
    },
    'chat.update': (b) => {
      const err = channelError(b.channel);
      if (err) return { ok: false, error: err };
      const m = find(String(b.channel), String(b.ts));
      if (!m) return { ok: false, error: 'message_not_found' };
      m.text = String(b.text ?? '');
      if (b.blocks !== undefined) m.blocks = asArray(b.blocks);
      m.edits += 1;
      return { channel: m.channel, ts: m.ts, text: m.text };
    },
    'chat.getPermalink': (b) => {
      const m = find(String(b.channel), String(b.message_ts));
      if (!m) return { ok: false, error: 'message_not_found' };
      const thread = m.threadTs ? `?thread_ts=${m.threadTs}&cid=${m.channel}` : '';
      return { channel: m.channel, permalink: `https://fake.slack.com/archives/${m.channel}/p${m.ts.replace('.', '')}${thread}` };
    },
    'reactions.get': (b) => {
      const m = find(String(b.channel), String(b.timestamp));
      if (!m) return { ok: false, error: 'message_not_found' };
      return { type: 'message', channel: m.channel, message: wire(m) };
    },
    // Top-level messages (thread replies stay in their thread), newest first, after `oldest`
    // (exclusive unless `inclusive`), `limit` per page (default 100, at most 999), paged by
    // an opaque cursor. Like Slack, it takes a channel ID only, never a #name.
    'conversations.history': (b) => {
      const raw = typeof b.channel === 'string' ? b.channel : '';
      if (!/^[CGD][A-Z0-9]+$/.test(raw) || channelError(raw)) return { ok: false, error: 'channel_not_found' };
      const oldest = b.oldest === undefined ? 0 : Number(b.oldest);
      const inclusive = flag(b.inclusive);
      const limit = Math.min(999, Math.max(1, b.limit === undefined ? 100 : Number(b.limit)));
      const start = typeof b.cursor === 'string' && b.cursor.length > 0 ? Number(Buffer.from(b.cursor, 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
      if (Number.isNaN(start)) return { ok: false, error: 'invalid_cursor' };
      const top = messages
        .filter((m) => m.channel === raw && (m.threadTs === null || m.threadTs === m.ts))
        .filter((m) => (inclusive ? Number(m.ts) >= oldest : Number(m.ts) > oldest))
        .reverse();
      const page = top.slice(start, start + limit);
      const more = start + limit < top.length;
      return {
        messages: page.map((m) => wire(m, flag(b.include_all_metadata))),
        has_more: more,
        pin_count: 0,
        response_metadata: { next_cursor: more ? Buffer.from(`offset:${start + limit}`).toString('base64') : '' },
      };
    },
    'conversations.replies': (b) => {
      const list = threadOf(String(b.channel), String(b.ts));
      if (list.length === 0) return { ok: false, error: 'thread_not_found' };
      const oldest = typeof b.oldest === 'string' ? Number(b.oldest) : 0;
      const [parent, ...replies] = list;
      const shown = parent ? [parent, ...replies.filter((r) => Number(r.ts) > oldest)] : [];
      return { messages: shown.map((m) => wire(m)), has_more: false, response_metadata: { next_cursor: '' } };
    },
  };

  const readBody = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if ((req.headers['content-type'] ?? '').includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    return Object.fromEntries(new URLSearchParams(raw));
  };

  const send = (res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const body = await readBody(req);
      const auth = req.headers.authorization ?? (typeof body.token === 'string' ? `Bearer ${body.token}` : undefined);
      const call: FakeSlackCall = { method, at: clock(), body, status: 200, error: null, token: auth?.replace(/^Bearer /, '') ?? null };
      calls.push(call);
      const answer = (status: number, payload: Record<string, unknown>, headers?: Record<string, string>): void => {
        call.status = status;
        call.error = payload.ok === false ? String(payload.error) : null;
        send(res, status, payload, headers);
      };
      const queued = failures.find((f) => (f.method === method || f.method === '*') && f.remaining > 0);
      if (queued) {
        queued.remaining -= 1;
        const f = queued.failure;
        if ('hang' in f) return; // never answered; the client's timeout must end it
        if ('error' in f) return answer(200, { ok: false, error: f.error });
        if (f.status === 429) return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(f.retryAfterSec) });
        return answer(500, { ok: false, error: 'internal_error' });
      }
      if (!auth) return answer(200, { ok: false, error: 'not_authed' });
      if (!accepted.has(auth)) return answer(200, { ok: false, error: 'invalid_auth' });
      const handler = methods[method];
      if (!handler) return answer(200, { ok: false, error: 'unknown_method' });
      const perMinute = limits.get(method);
      if (perMinute !== undefined) {
        const now = clock();
        const recent = calls.filter((c) => c.method === method && c.status === 200 && c.error === null && c.at > now - 60_000 && c !== call);
        if (recent.length >= perMinute) return answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
      }
      const result = handler(body);
      answer(200, { ok: true, ...result });
    })().catch((err: unknown) => send(res, 500, { ok: false, error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    fail: (method, failure, times = Number.POSITIVE_INFINITY) => {
      failures.push({ method, failure, remaining: times });
    },
    clearFailures: () => {
      failures.length = 0;
    },
    enforceRateLimit: (method, perMinute) => {
      limits.set(method, perMinute);
    },
    messages: (channel) => (channel ? messages.filter((m) => m.channel === channelId(channel)) : [...messages]),
    message: find,
    thread: threadOf,
    addReaction: (channel, ts, name, user) => {
      const m = find(channel, ts);
      if (!m) throw new Error(`no message ${channel}/${ts}`);
      const users = m.reactions.get(name) ?? new Set<string>();
      users.add(user);
      m.reactions.set(name, users);
    },
    addReply: (channel, threadTs, reply) => {
      const m: FakeSlackMessage = { channel: channelId(channel), ts: nextTs(), threadTs, text: reply.text, blocks: [], user: reply.user, botId: null, reactions: new Map(), edits: 0, metadata: null };
      messages.push(m);
      return m;
    },
    channelId,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A clock tests move by hand; `sleep` moves it and yields once, so waits cost no real time. */
export function makeFakeClock(startMs = Date.parse('2025-06-01T12:00:00Z')): {
  now: () => number;
  advance: (ms: number) => void;
  sleep: (ms: number) => Promise<void>;
} {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleep: async (ms) => {
      t += Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/**
 * An AnalysisStream that yields `chunks`, calling `beforeChunk` before each (tests
 * advance a fake clock there), then settles `done` with an analysis of that text.
 */
export function syntheticAnalysisStream(
  chunks: string[],
  options: { beforeChunk?: (index: number) => void | Promise<void>; analysis?: Partial<Analysis> } = {},
): AnalysisStream {
  let resolveDone: (a: Analysis) => void = () => {};
  const done = new Promise<Analysis>((resolve) => {
    resolveDone = resolve;
  });
  async function* generate(): AsyncGenerator<string> {
    for (const [i, chunk] of chunks.entries()) {
      await options.beforeChunk?.(i);
      yield chunk;
    }
    resolveDone({
      summary: 'synthetic', rootCause: 'synthetic', evidence: [], impact: '', actions: [], prevention: [],
      confidence: 'high', mode: 'llm', text: chunks.join(''), analyzers: [], owner: 'application',
      provider: 'fake', model: 'fake', promptVersion: null, degraded: [], llm: null, ...options.analysis,
    });
  }
  return { chunks: generate(), done };
}

/** An incident subject as the webhook door builds it, with overrides. */
export function makeSubject(overrides: Partial<IncidentSubject> = {}): IncidentSubject {
  return {
    incidentId: 'inc-1', source: 'alert', cluster: 'prod-eu', alertname: 'KubePodCrashLooping', severity: 'critical',
    labels: { alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'api-7d9f-x2' },
    annotations: { summary: 'Pod shop/api-7d9f-x2 is crash looping' },
    namespace: 'shop', workload: { kind: 'Deployment', namespace: 'shop', name: 'api' }, description: null,
    startsAt: '2025-06-01T11:46:00Z', generatorURL: 'http://prometheus.example/graph?g0.expr=up', externalURL: 'http://alertmanager.example',
    groupKey: 'shop/api/KubePodCrashLooping', ...overrides,
  };
}

/** The DeliverInput the pipeline hands the deliver stage, around a stream. */
export function makeDeliverInput(subject: IncidentSubject, stream: AnalysisStream, similar: SimilarCase[] = []): DeliverInput {
  return {
    subject, stream, notify: true, similar, findings: [], evidence: emptyEvidence('synthetic'),
    category: { category: 'pod-crash', confidence: 0.9, reason: 'synthetic', decidedBy: 'rules' },
  };
}
