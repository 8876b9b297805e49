import { type DestinationStream, type Logger, pino } from 'pino';
import { redact } from './redact.js';

/**
 * JSON logs. hush never logs bodies or URLs with keys (see the request-log plugin); censoring
 * sensitive keys in every logged object is the second line of defence against a careless call.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'hush' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => redact(object) },
    },
    destination,
  );
}
