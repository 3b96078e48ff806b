// How `blueprint key set` reads a value: at a terminal in raw mode, nothing echoed, backspace and
// Ctrl-C understood; piped, to the end with one trailing newline stripped, and no more than a key.
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { KEY_STDIN_MAX_BYTES, readHidden, readPiped } from "../../src/main/key-value-input.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";

const TYPED = "sk-typed-at-terminal-0123456789";
recordSecret(TYPED);

/** A terminal's stdin: a stream that records the raw-mode switches. */
function terminal() {
  const stdin = new PassThrough() as PassThrough & { setRawMode: (on: boolean) => void; modes: boolean[] };
  stdin.modes = [];
  stdin.setRawMode = (on: boolean) => void stdin.modes.push(on);
  let shown = "";
  const screen = new PassThrough();
  screen.on("data", (chunk: Buffer) => (shown += chunk.toString()));
  return { stdin, screen, shown: () => shown };
}

describe("GIVEN a value typed at a terminal", () => {
  it("WHEN it is typed with a correction and Enter THEN it is read in raw mode, the mode restored, and only the prompt is shown", async () => {
    const { stdin, screen, shown } = terminal();
    const read = readHidden(stdin as unknown as NodeJS.ReadStream, screen, "Value: ");
    stdin.write(`${TYPED}x\u007f`);
    stdin.write("\r");
    expect(await read).toBe(TYPED);
    expect(stdin.modes).toEqual([true, false]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(shown()).toBe("Value: \n");
  });

  it("WHEN Ctrl-C is pressed THEN it is cancelled and the mode restored", async () => {
    const { stdin, screen } = terminal();
    const read = readHidden(stdin as unknown as NodeJS.ReadStream, screen, "Value: ");
    stdin.write("abc\u0003");
    await expect(read).rejects.toThrow("Cancelled; nothing was changed.");
    expect(stdin.modes).toEqual([true, false]);
  });
});

describe("GIVEN a value piped in", () => {
  it("THEN one trailing newline is stripped and nothing else", async () => {
    expect(await readPiped(Readable.from([Buffer.from(`${TYPED}\n`)]))).toBe(TYPED);
    expect(await readPiped(Readable.from([Buffer.from(`${TYPED}\r\n`)]))).toBe(TYPED);
    expect(await readPiped(Readable.from([Buffer.from(`${TYPED}\n\n`)]))).toBe(`${TYPED}\n`);
    expect(await readPiped(Readable.from([]))).toBe("");
  });

  it("WHEN far more than a key is piped THEN reading stops and it is refused", async () => {
    const flood = Readable.from(
      Array.from({ length: 10 }, () => Buffer.alloc(KEY_STDIN_MAX_BYTES / 4, 0x61)),
    );
    await expect(readPiped(flood)).rejects.toThrow(/over 16384 bytes; that is not a key/);
  });
});
