import { join } from 'node:path';
import express, { Router, type Response } from 'express';
import { AUTH_COOKIE, authProblem } from '../http/api/api-auth.js';
import type { ApiDeps } from '../http/api/make-api-routers.js';
import { tokensMatch } from '../http/bearer-auth.js';
import { findStaticDir } from './find-static-dir.js';

/**
 * Only our own files run: data is rendered with textContent (never innerHTML), and
 * this policy stops any inline script or handler should a mistake ever slip in.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function secureHeaders(res: Response): void {
  res.set({
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  });
}

/** The web dashboard, served by the same process (no CDN, works offline). */
export function makeDashboardRouter(deps: ApiDeps): Router {
  const router = Router();
  const dir = findStaticDir();
  const token = deps.config.API_AUTH_TOKEN;
  const secureCookie = deps.config.PUBLIC_URL.startsWith('https:');

  router.use('/static', (_req, res, next) => {
    secureHeaders(res);
    next();
  });
  router.use('/static', express.static(dir, { index: false, maxAge: '5m' }));
  router.use('/static', (_req, res) => {
    res.status(404).type('text').send('not found');
  });

  router.get('/login', (_req, res) => {
    if (token === null) return res.redirect(303, '/');
    secureHeaders(res);
    res.set('cache-control', 'no-store');
    res.sendFile(join(dir, 'login.html'));
  });

  router.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const presented = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    if (token === null) return res.redirect(303, '/');
    if (!presented || !tokensMatch(presented, token)) return res.redirect(303, '/login?failed=1');
    res.cookie(AUTH_COOKIE, presented, { httpOnly: true, sameSite: 'strict', secure: secureCookie, path: '/' });
    res.redirect(303, '/');
  });

  router.post('/logout', (_req, res) => {
    res.clearCookie(AUTH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: secureCookie, path: '/' });
    res.redirect(303, token === null ? '/' : '/login');
  });

  router.get('/', (req, res) => {
    if (authProblem(req, token)) return res.redirect(303, '/login');
    secureHeaders(res);
    res.set('cache-control', 'no-store');
    res.sendFile(join(dir, 'index.html'));
  });

  return router;
}
