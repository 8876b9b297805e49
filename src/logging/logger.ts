import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Paths pino censors wherever they appear. hush never logs bodies or URLs with keys (see the
 * request-log plugin); this list is the second line of defence against a careless log call.
 */
export const REDACT_PATHS = [
  'secret',
  'passphrase',
  'password',
  'token',
  'secret_key',
  'receipt_key',
  'secretKey',
  'receiptKey',
  'masterKey',
  'adminToken',
  '*.secret',
  '*.passphrase',
  '*.password',
  '*.token',
  '*.secret_key',
  '*.receipt_key',
  '*.secretKey',
  '*.receiptKey',
  '*.masterKey',
  '*.adminToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hush' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
