import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/**
 * Paths pino masks wherever they appear in a log object. Free text is redacted by
 * src/redact before it is logged; this catches credentials passed as fields.
 */
const REDACT_PATHS = [
  'authorization',
  'token',
  'password',
  'apiKey',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.password',
  '*.apiKey',
  '*.headers.authorization',
  '*.headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.webhookAuthToken',
  'config.apiAuthToken',
];

export function makeLogger(options: { level: string; destination?: NodeJS.WritableStream }): Logger {
  return pino(
    { level: options.level, base: { service: 'k8flex' }, redact: { paths: REDACT_PATHS, censor: '[REDACTED]' } },
    options.destination ?? process.stdout,
  );
}

/** A logger that writes nothing, for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
