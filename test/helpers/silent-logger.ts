import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { recordLog } from "./leak-ledger.ts";

/** A stream whose log lines are kept for assertions (startBot's logDestination) and the leak ledger. */
export function memorySink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  // Every log made in a test file goes to the leak ledger after its last test.
  recordLog(lines);
  return { stream, lines };
}

/** A real pino logger whose JSON lines are kept for assertions instead of printed. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const { stream, lines } = memorySink();
  return { logger: pino({ level: "trace" }, stream), lines };
}
