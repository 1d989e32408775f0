import { Router } from 'express';
import type pg from 'pg';
import { NotFoundError } from '../../errors.js';
import type { AnalysisBus, AnalysisEvent } from '../../pipeline/analysis-bus.js';
import { parseIncidentId } from './incidents-routes.js';

type StreamDeps = { pool: pg.Pool; bus: AnalysisBus; pollIntervalMs?: number };
type Snapshot = { status: string; error: string | null; text: string | null };

/** Comment lines keep proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

async function readSnapshot(pool: pg.Pool, id: string): Promise<Snapshot | null> {
  const r = await pool.query<Snapshot>(
    `SELECT i.status, i.error,
            (SELECT a.text FROM analyses a WHERE a.incident_id = i.id ORDER BY a.created_at DESC LIMIT 1) AS text
     FROM incidents i WHERE i.id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

const finished = (s: Snapshot) => s.status === 'completed' || s.status === 'failed';

/**
 * GET /incidents/{id}/stream — Server-Sent Events of the analysis as it is written:
 * `event: chunk` with `{"text"}` (the text so far first, then each new piece) and one
 * `event: done` with `{"status", "error"}`. Analyses written by this process come from
 * the AnalysisBus; otherwise (another replica, or not started yet) the database is
 * polled and the stored text is sent once the incident finishes.
 */
export function makeIncidentStreamRouter(deps: StreamDeps): Router {
  const router = Router();
  const pollMs = deps.pollIntervalMs ?? 1000;

  router.get('/incidents/:id/stream', async (req, res) => {
    const id = parseIncidentId(req.params.id);
    const first = await readSnapshot(deps.pool, id);
    if (!first) throw new NotFoundError(`incident ${id} not found`);

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const send = (event: 'chunk' | 'done', data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

    if (finished(first)) {
      if (first.text) send('chunk', { text: first.text });
      send('done', { status: first.status, error: first.error });
      res.end();
      return;
    }

    let live = false;
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const t of timers) clearInterval(t);
      res.end();
    };
    // Subscribing and reading the partial text happen in one synchronous step, so no
    // chunk is both in the partial text and delivered to the listener, or in neither.
    const unsubscribe = deps.bus.subscribe(id, (event: AnalysisEvent) => {
      if (closed) return;
      if (event.type === 'chunk') {
        live = true;
        send('chunk', { text: event.text });
      } else {
        void finish(event.status);
      }
    });
    const partial = deps.bus.partial(id);
    if (partial !== null) {
      live = true;
      send('chunk', { text: partial });
    }

    async function finish(status?: string): Promise<void> {
      const s = await readSnapshot(deps.pool, id).catch(() => null);
      if (closed) return;
      if (!live && s?.text) send('chunk', { text: s.text });
      send('done', { status: s?.status ?? status ?? 'completed', error: s?.error ?? null });
      close();
    }

    timers.push(
      setInterval(() => {
        void readSnapshot(deps.pool, id)
          .then((s) => {
            if (s && finished(s) && !closed) return finish();
          })
          .catch(() => undefined);
      }, pollMs),
      setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS),
    );
    res.on('close', close);
    res.on('error', close);
  });

  return router;
}

