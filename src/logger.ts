/**
 * The process logger (pino, JSON lines on stdout). Authorization
 * headers, passwords, secrets and keys are redacted wherever they appear in a log object.
 */
import { pino } from 'pino';
import { currentScope } from './http/deadline.js';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info'),
  // Every line written while serving a request names it (the access log line sets its own).
  mixin: () => {
    const requestId = currentScope()?.requestId;
    return requestId ? { requestId } : {};
  },
  redact: {
    paths: [
      '*.authorization',
      '*.headers.authorization',
      '*.password',
      '*.clientSecret',
      '*.subscriptionKey',
      '*.token',
      '*.access_token',
      'headers["x-subscription-key"]',
      '*.headers["x-subscription-key"]',
    ],
    censor: '[redacted]',
  },
});

/**
 * Test hook: until the returned function is called, every line the logger writes (as
 * written: serialised and redacted) goes to `sink` instead of the destination, at `level`
 * and above. Nothing changes for a process that never calls it.
 */
export function captureLogs(sink: (line: string) => void, level: pino.LevelWithSilent = 'trace'): () => void {
  const target = logger as unknown as Record<symbol, unknown>;
  const destination = target[pino.symbols.streamSym];
  const previousLevel = logger.level;
  target[pino.symbols.streamSym] = {
    write(line: string) {
      sink(line);
      return true;
    },
  };
  logger.level = level;
  return () => {
    target[pino.symbols.streamSym] = destination;
    logger.level = previousLevel;
  };
}

/**
 * A start-up notice (the banner): one `info` line with `fields`, shown even when LOG_LEVEL
 * is above info (only `silent` hides it). On a terminal it is the plain `message` instead
 * of JSON (pino-pretty is not a dependency); piped or in a container, a JSON line.
 */
export function announce(fields: Record<string, unknown>, message: string): void {
  if (logger.level === 'silent') return;
  if (process.stdout.isTTY) {
    console.log(message);
    return;
  }
  const target = logger.isLevelEnabled('info') ? logger : logger.child({}, { level: 'info' });
  target.info(fields, message);
}
