import type { ErrorRequestHandler } from 'express';
import { AuthError, InputError, NotFoundError, UpstreamError } from '../errors.js';
import type { Logger } from '../observability/logger.js';

type BodyParserError = Error & { type?: string; status?: number; expose?: boolean };

/**
 * The one place errors become HTTP: `{"error": "<message>"}` with the error's
 * status. Anything unexpected from the database is a temporary failure (503) so
 * Alertmanager retries instead of dropping the alerts.
 */
export function makeErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const e = err as BodyParserError;
    if (e instanceof InputError || e instanceof AuthError || e instanceof NotFoundError) {
      res.status(e.status).json({ error: e.message });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: `request body exceeds the ${req.path === '/webhook' ? 'webhook ' : ''}size limit` });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: `malformed JSON: ${e.message}` });
      return;
    }
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
      res.status(415).json({ error: e.message });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
      res.status(e.status).json({ error: e.message });
      return;
    }
    if (e instanceof UpstreamError) {
      logger.warn({ err: e, path: req.path }, 'temporary failure');
      res.status(503).json({ error: e.message });
      return;
    }
    logger.warn({ err: e, path: req.path }, 'request failed; answering 503 so the sender retries');
    res.status(503).json({ error: 'temporarily unavailable, retry later' });
  };
}
