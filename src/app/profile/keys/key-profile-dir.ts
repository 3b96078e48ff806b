// The folder of a profile whose keys `blueprint key` reads or changes, on this machine's Hermes
// home only: `default` is the Hermes home itself, others are profiles/<name>. A profile that does not
// exist is refused (a key is never the first thing written into a folder).
import { stat } from "node:fs/promises";
import { DEFAULT_PROFILE } from "../../../core/blueprint.ts";
import { PROFILE_NAME_PATTERN } from "../../../core/limits.ts";
import type { Outcome } from "../../ports/outcome.ts";
import { profileDir } from "../profiles-root.ts";

export async function keyProfileDir(
  hermesHome: string,
  profilesRoot: string,
  raw: string,
): Promise<Outcome<string>> {
  const name = raw.trim().toLowerCase();
  if (name !== DEFAULT_PROFILE && !PROFILE_NAME_PATTERN.test(name))
    return {
      ok: false,
      reason:
        "That is not a profile name (a-z, 0-9, _ and -, at most 64 characters). `blueprint key list default` works on the Hermes home itself.",
    };
  const dir = profileDir(hermesHome, profilesRoot, name);
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory())
    return {
      ok: false,
      reason:
        name === DEFAULT_PROFILE
          ? `There is no Hermes home at ${dir}. Set HERMES_HOME, or create a profile first.`
          : `There is no profile '${name}' in ${profilesRoot}. Create it first (blueprint create --from <file>, or the wizard).`,
    };
  return { ok: true, value: dir };
}
