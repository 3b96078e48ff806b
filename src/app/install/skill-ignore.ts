// A skill's `.skillignore` / `.clawhubignore`, as Hermes' skills_guard reads it
// (`_load_skill_ignore`): the paths it names are left out of the scan altogether, the ignore
// files themselves always are, and SKILL.md never is.
import { readFile } from "node:fs/promises";
import path from "node:path";

const IGNORE_FILES = [".skillignore", ".clawhubignore"] as const;
const NEVER_IGNORED = "SKILL.md";

export type IgnoreMatcher = (relPosix: string) => boolean;

export async function loadSkillIgnore(skillDir: string): Promise<IgnoreMatcher> {
  const patterns: string[] = [];
  for (const name of IGNORE_FILES) {
    const text = await readFile(path.join(skillDir, name))
      .then(
        (bytes) => new TextDecoder("utf-8", { fatal: true }).decode(bytes),
        () => undefined,
      )
      .catch(() => undefined);
    for (const raw of (text ?? "").split(/\r\n|\r|\n/)) {
      const line = raw.trim();
      if (line && !line.startsWith("#")) patterns.push(line);
    }
  }
  return (rel) => {
    const base = rel.split("/").at(-1) ?? rel;
    if (base === NEVER_IGNORED) return false;
    if ((IGNORE_FILES as readonly string[]).includes(base)) return true;
    return patterns.some((pattern) => matches(pattern, rel, base));
  };
}

function matches(pattern: string, rel: string, base: string): boolean {
  const anchored = pattern.startsWith("/");
  const trimmed = pattern.replace(/^\/+/, "");
  const isDir = trimmed.endsWith("/");
  const p = trimmed.replace(/\/+$/, "");
  if (!p) return false;
  if (isDir) return rel === p || rel.startsWith(`${p}/`) || (!anchored && `/${rel}/`.includes(`/${p}/`));
  if (fnmatch(rel, p)) return true;
  if (anchored) return false;
  return (
    fnmatch(base, p) ||
    (!p.includes("/") && rel.split("/").some((segment) => fnmatch(segment, p))) ||
    rel.startsWith(`${p}/`)
  );
}

/** Python's fnmatch on POSIX: case-sensitive, `*` and `?` cross `/`, `[!…]` negates. */
function fnmatch(name: string, pattern: string): boolean {
  let out = "";
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] ?? "";
    if (char === "*") out += "[\\s\\S]*";
    else if (char === "?") out += "[\\s\\S]";
    else if (char === "[") {
      const end = pattern.indexOf("]", index + 2);
      if (end === -1) out += "\\[";
      else {
        const body = pattern.slice(index + 1, end);
        const negated = body.startsWith("!");
        const members = (negated ? body.slice(1) : body).replace(/[\\[\]^]/g, "\\$&");
        out += `[${negated ? "^" : ""}${members}]`;
        index = end;
      }
    } else out += char.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^(?:${out})$`, "u").test(name);
}
