// pino: pretty on a terminal, JSON otherwise; secret-bearing fields are redacted wherever they sit.
import { pino, type Logger } from "pino";
import { replaceDisallowedChars } from "../../core/text-rules.ts";
import type { KnownSecrets } from "../secrets/known-secrets.ts";

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
  const hooks = {
    hooks: { streamWrite: (line: string) => terminalSafeLogLine(secrets ? secrets.redact(line) : line) },
  };
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

/**
 * A JSON control-character escape (`\u001b`, `\r`, …) that is not itself escaped (preceded by an
 * even number of backslashes). JSON never writes \n and \t this way, and they stay.
 */
const ESCAPED_CONTROL = /(?<!\\)((?:\\\\)*)\\(?:u00[01][0-9a-fA-F]|[bfr])/g;

/**
 * A log line that cannot act on a terminal: someone reads the log with `cat`, or pino-pretty
 * decodes it onto one. JSON escapes C0 controls (ESC as `\u001b`), which pino-pretty turns back
 * into the real thing, and writes C1, bidi and zero-width characters raw: both kinds are removed,
 * so a host's text quoted in an error cannot clear the screen or reverse what is read.
 */
export function terminalSafeLogLine(line: string): string {
  return replaceDisallowedChars(line, "").replace(ESCAPED_CONTROL, "$1");
}

export type { Logger };
