/**
 * The process logger (pino, JSON lines on stdout). Authorization
 * headers, passwords, secrets and keys are redacted wherever they appear in a log object.
 */
import { pino } from 'pino';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' || process.env.VITEST ? 'silent' : 'info'),
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
