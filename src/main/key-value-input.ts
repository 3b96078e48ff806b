// How `blueprint key set` reads a value: from a terminal without echo (raw mode, one line), or piped
// stdin to its end with one trailing newline stripped. Never from the arguments; the value read is
// never written back to any stream.
import { SECRET_MAX_CHARS } from "../core/limits.ts";
import { EXIT, StartupError } from "../app/system/exit.ts";

/** Piped input past this is not a key: reading stops and the value is refused. */
export const KEY_STDIN_MAX_BYTES = 4 * SECRET_MAX_CHARS;

const TOO_LONG = `The value is over ${KEY_STDIN_MAX_BYTES} bytes; that is not a key. Nothing was changed.`;

/** Piped stdin to its end, one trailing newline stripped. */
export async function readPiped(stdin: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > KEY_STDIN_MAX_BYTES) throw new StartupError(TOO_LONG, EXIT.badInput);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** One line typed at a terminal, not echoed; Ctrl-C or Ctrl-D on an empty line cancels. */
export function readHidden(
  stdin: NodeJS.ReadStream,
  prompts: NodeJS.WritableStream,
  prompt: string,
): Promise<string> {
  prompts.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: StartupError) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      prompts.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003" || (char === "\u0004" && value === ""))
          return finish(new StartupError("Cancelled; nothing was changed.", EXIT.badInput));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
        if (value.length > KEY_STDIN_MAX_BYTES) return finish(new StartupError(TOO_LONG, EXIT.badInput));
      }
    };
    stdin.on("data", onData);
  });
}
