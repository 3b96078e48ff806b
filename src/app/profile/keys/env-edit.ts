// Setting and deleting one key in a profile's .env, the way a person editing it by hand would:
// Hermes' header and every other line stay byte for byte; a key's line (or its `# KEY=`
// placeholder) is replaced, else the key is appended; a deleted key's line is removed entirely —
// never left as `KEY=`, which Hermes (it loads .env with override) would apply as "". The file is
// written atomically (a temp file beside it, mode 0600, then rename). A value never appears in any
// message this module returns.
import { randomBytes } from "node:crypto";
import { chmod, open, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { ENV_FILE_MAX_BYTES, ENV_VAR_NAME_PATTERN, SECRET_MAX_CHARS } from "../../../core/limits.ts";
import type { Outcome } from "../../ports/outcome.ts";
import { checkSecretValue } from "../../secrets/secret-vault.ts";
import { ENV_FILE_HEADER, ENV_FILE_MODE, formatEnvValue } from "../env-file.ts";

export function checkKeyName(raw: string): Outcome<string> {
  const key = raw.trim();
  if (ENV_VAR_NAME_PATTERN.test(key)) return { ok: true, value: key };
  // Not repeated: a value given where the name goes would otherwise be printed.
  return {
    ok: false,
    reason: `That is not a key name: use UPPER_SNAKE_CASE (A-Z, 0-9 and _, not starting with a digit, at most 128 characters), e.g. OPENROUTER_API_KEY.`,
  };
}

/** The value as it will be written, or why not — the message never repeats the value. */
export function checkKeyValue(raw: string): Outcome<string> {
  const checked = checkSecretValue(raw);
  if (!checked.ok) {
    const reason =
      checked.error.code === "secret_empty"
        ? 'The value is empty. Pipe the key in (e.g. `printf %s "$KEY" | blueprint key set …`) or type it when asked; to remove a key use `blueprint key delete`.'
        : checked.error.code === "secret_too_long"
          ? `The value is over ${SECRET_MAX_CHARS} characters; that is not a key. Give the key itself.`
          : "The value must be one line of visible ASCII characters without spaces (a key or token). Check what you pasted and set it again.";
    return { ok: false, reason };
  }
  // python-dotenv expands `${NAME}` in every kind of value, quoted or not: Hermes would not read it back.
  if (checked.value.includes("${"))
    return {
      ok: false,
      reason:
        "The value holds `${`, which Hermes' .env loader would expand as a variable; it cannot be stored unchanged.",
    };
  return checked;
}

function assignmentOf(key: string): RegExp {
  return new RegExp(`^\\s*(?:export\\s+)?${key}\\s*=`);
}

function placeholderOf(key: string): RegExp {
  return new RegExp(`^#\\s*${key}=\\s*$`);
}

/**
 * Sets `key`: its first assignment line is replaced (later ones removed: dotenv's last line would
 * win), else its `# KEY=` placeholder, else a line is appended. Every other line is kept as it is.
 */
export function setEnvLine(text: string, key: string, value: string): { text: string; replaced: boolean } {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split("\n");
  const line = `${key}=${formatEnvValue(value)}`;
  const ending = (at: number) => (lines[at]?.endsWith("\r") ? "\r" : "");
  const assigned = lines.flatMap((row, at) => (assignmentOf(key).test(row) ? [at] : []));
  const first = assigned[0] ?? lines.findIndex((row) => placeholderOf(key).test(row.replace(/\r$/, "")));
  if (first >= 0) {
    lines[first] = `${line}${ending(first)}`;
    const later = new Set(assigned.slice(1));
    return { text: lines.filter((_, at) => !later.has(at)).join("\n"), replaced: true };
  }
  if (text === "") return { text: [...ENV_FILE_HEADER, line, ""].join(eol), replaced: false };
  const body = text.endsWith("\n") ? text : `${text}${eol}`;
  return { text: `${body}${line}${eol}`, replaced: false };
}

/** Removes every assignment line of `key` (a `# KEY=` placeholder is a comment and stays). */
export function deleteEnvLines(text: string, key: string): { text: string; removed: number } {
  const lines = text.split("\n");
  const kept = lines.filter((line) => !assignmentOf(key).test(line));
  return { text: kept.join("\n"), removed: lines.length - kept.length };
}

/** A profile's .env text; "" when there is none. A larger file than ENV_FILE_MAX_BYTES is refused. */
export async function readEnvText(file: string): Promise<Outcome<string>> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, value: "" };
    return {
      ok: false,
      reason: `Cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
    };
  }
  try {
    const { size } = await handle.stat();
    if (size > ENV_FILE_MAX_BYTES)
      return {
        ok: false,
        reason: `${file} is over ${ENV_FILE_MAX_BYTES} bytes; that is not a .env this command edits. Look at it by hand.`,
      };
    return { ok: true, value: await handle.readFile("utf8") };
  } finally {
    await handle.close();
  }
}

/** Writes .env atomically: a 0600 temp file in the same folder, flushed, then renamed over it. */
export async function writeEnvFile(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.env.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    const handle = await open(temp, "wx", ENV_FILE_MODE);
    try {
      await handle.writeFile(text, "utf8");
      await handle.chmod(ENV_FILE_MODE);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // The rename keeps the temp file's mode; said again in case the folder's filesystem ignored it.
  await chmod(file, ENV_FILE_MODE);
}

async function isFolder(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}

function failedWrite(error: unknown): Outcome<never> {
  return {
    ok: false,
    reason: `Could not write .env (${(error as NodeJS.ErrnoException).code ?? "error"}); nothing was changed.`,
  };
}

/** Sets one key in the .env of the profile folder `dir` (which must exist). */
export async function setProfileKey(
  dir: string,
  rawKey: string,
  rawValue: string,
): Promise<Outcome<{ key: string; replaced: boolean }>> {
  const key = checkKeyName(rawKey);
  if (!key.ok) return key;
  const value = checkKeyValue(rawValue);
  if (!value.ok) return value;
  if (!(await isFolder(dir))) return { ok: false, reason: `There is no profile folder ${dir}.` };
  const file = path.join(dir, ".env");
  const current = await readEnvText(file);
  if (!current.ok) return current;
  const next = setEnvLine(current.value, key.value, value.value);
  try {
    await writeEnvFile(file, next.text);
  } catch (error) {
    return failedWrite(error);
  }
  return { ok: true, value: { key: key.value, replaced: next.replaced } };
}

/** Deletes one key's line(s) from the .env of the profile folder `dir`; `removed: 0` changes nothing. */
export async function deleteProfileKey(
  dir: string,
  rawKey: string,
): Promise<Outcome<{ key: string; removed: number }>> {
  const key = checkKeyName(rawKey);
  if (!key.ok) return key;
  if (!(await isFolder(dir))) return { ok: false, reason: `There is no profile folder ${dir}.` };
  const file = path.join(dir, ".env");
  const current = await readEnvText(file);
  if (!current.ok) return current;
  const next = deleteEnvLines(current.value, key.value);
  if (next.removed === 0) return { ok: true, value: { key: key.value, removed: 0 } };
  try {
    await writeEnvFile(file, next.text);
  } catch (error) {
    return failedWrite(error);
  }
  return { ok: true, value: { key: key.value, removed: next.removed } };
}
