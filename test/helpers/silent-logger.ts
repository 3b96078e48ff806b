import { Writable } from "node:stream";
import { pino, type Logger } from "pino";
import { recordLog } from "./leak-ledger.ts";

/** A real pino logger whose JSON lines are kept for assertions instead of printed. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  // Every log made in a test file goes to the leak ledger after its last test.
  recordLog(lines);
  return { logger: pino({ level: "trace" }, sink), lines };
}
