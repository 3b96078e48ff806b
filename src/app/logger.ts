// pino: pretty on a terminal, JSON otherwise; secret-bearing fields are redacted wherever they sit.
import { pino, type Logger } from "pino";

/** Field names whose values are never written to a log, at the top level or one level down. */
export const REDACTED_FIELDS = [
  "secret",
  "token",
  "apiKey",
  "api_key",
  "password",
  "authorization",
  "value",
  "env",
];

export function createLogger(
  level: string,
  destination: NodeJS.WritableStream & { fd?: number } = process.stderr,
): Logger {
  const redact = { paths: REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: "[redacted]" };
  const pretty = destination === process.stderr && process.stderr.isTTY;
  if (pretty) {
    return pino({
      level,
      redact,
      transport: { target: "pino-pretty", options: { destination: 2, colorize: true } },
    });
  }
  return pino({ level, redact }, destination);
}

export type { Logger };
