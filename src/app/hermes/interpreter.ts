// The Python a Hermes install runs on: the interpreter on the first line of its `hermes` script.
// The discovery probe and the scan before Create run their Python with it, inside Hermes' venv.
import { open } from "node:fs/promises";
import path from "node:path";

/** The interpreter on a script's `#!` line (`#!/path/python3.11`, or `#!/usr/bin/env python3`). */
export async function interpreterOf(script: string): Promise<string | undefined> {
  const handle = await open(script, "r");
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const first = buffer.subarray(0, bytesRead).toString("utf8").split("\n")[0] ?? "";
    if (!first.startsWith("#!")) return undefined;
    const [command, argument] = first.slice(2).trim().split(/\s+/);
    if (!command) return undefined;
    return path.basename(command) === "env" && argument ? argument : command;
  } finally {
    await handle.close();
  }
}
