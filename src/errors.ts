/**
 * The small error vocabulary of k8flex. Each maps to one HTTP status in
 * src/http/error-middleware.ts; wrap causes with `{ cause }`.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** 400 by default; 413 (too large) and 415 (wrong content type) are input errors too. */
  constructor(
    message: string,
    readonly status: 400 | 413 | 415 | 422 = 400,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly status = 401;
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  readonly status = 404;
}

/** A dependency (database, Slack, LLM, Kubernetes) failed; callers may retry. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly status = 503;
}

/** A configuration value is wrong; `variables` names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly variables: string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
