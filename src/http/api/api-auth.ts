import type { Request, RequestHandler } from 'express';
import { AuthError } from '../../errors.js';
import { bearerToken, tokensMatch } from '../bearer-auth.js';

/** The dashboard's login stores API_AUTH_TOKEN in this HttpOnly, SameSite=Strict cookie. */
export const AUTH_COOKIE = 'k8flex_token';

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/** Why a request is not authenticated, or null when it is (or no token is configured). */
export function authProblem(req: Request, token: string | null): string | null {
  if (token === null) return null;
  const presented = bearerToken(req.headers.authorization) ?? readCookie(req.headers.cookie, AUTH_COOKIE);
  if (presented === null) return 'missing bearer token';
  return tokensMatch(presented, token) ? null : 'invalid bearer token';
}

/** API_AUTH_TOKEN as `Authorization: Bearer` or as the dashboard's cookie; a null token allows all. */
export function requireApiAuth(token: string | null): RequestHandler {
  return (req, _res, next) => {
    const problem = authProblem(req, token);
    next(problem ? new AuthError(`API: ${problem}`) : undefined);
  };
}
