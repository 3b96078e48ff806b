// Where a program is, the way execa (and a shell) would resolve it: a name with a "/" is taken as
// it is, a bare name is looked up on PATH. Only an executable regular file counts.
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";

export async function resolveProgram(
  file: string,
  searchPath: string = process.env["PATH"] ?? "",
): Promise<string | undefined> {
  const candidates = file.includes("/")
    ? [file]
    : searchPath
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, file));
  for (const candidate of candidates) if (await isExecutableFile(candidate)) return candidate;
  return undefined;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
