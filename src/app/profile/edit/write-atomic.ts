// One file replaced whole or not at all: the new text goes to a temporary file beside it, is
// flushed to disk, then renamed over the old one, so a kill at any moment leaves the old file or
// the new one, never a mix. The file's mode is kept (a new file gets 0644) unless `mode` is given.
import { randomBytes } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";

export async function writeFileAtomic(file: string, text: string | Uint8Array, mode?: number): Promise<void> {
  const keep =
    mode ??
    (await stat(file).then(
      (info) => info.mode & 0o777,
      () => 0o644,
    ));
  // Unique per write: two edits of one profile in one process never share a temporary file.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.edit-tmp`;
  const handle = await open(temp, "w", keep);
  try {
    await handle.writeFile(text);
    await handle.chmod(keep);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
