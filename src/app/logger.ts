// pino: pretty on a terminal, JSON otherwise; secret-bearing fields are redacted wherever they sit.
import { pino, type Logger } from "pino";
import type { KnownSecrets } from "./known-secrets.ts";

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
  secrets?: KnownSecrets,
): Logger {
  const redact = { paths: REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]), censor: "[redacted]" };
  // Field names catch the secrets we log on purpose; a secret quoted inside a message or an error
  // (a host echoing its token) is caught by value on the way out, whatever field holds it.
  const hooks = secrets ? { hooks: { streamWrite: (line: string) => secrets.redact(line) } } : {};
  const pretty = destination === process.stderr && process.stderr.isTTY;
  if (pretty) {
    return pino({
      level,
      redact,
      ...hooks,
      transport: { target: "pino-pretty", options: { destination: 2, colorize: true } },
    });
  }
  return pino({ level, redact, ...hooks }, destination);
}

export type { Logger };
