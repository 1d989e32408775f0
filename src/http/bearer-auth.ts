import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AuthError } from '../errors.js';

/**
 * Constant-time token comparison: both sides are hashed first so the comparison
 * takes the same time whatever the presented token's length.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m?.[1]?.trim() ?? null;
}

/** Rejects requests without `Authorization: Bearer <token>`; a null token allows all. */
export function requireBearer(token: string | null, realm: string): RequestHandler {
  return (req, _res, next) => {
    if (token === null) return next();
    const presented = bearerToken(req.headers.authorization);
    if (presented === null) return next(new AuthError(`${realm}: missing bearer token`));
    if (!tokensMatch(presented, token)) return next(new AuthError(`${realm}: invalid bearer token`));
    next();
  };
}
