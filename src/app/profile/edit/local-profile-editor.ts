// Editing a profile in this machine's Hermes home, for the chat editor and `apply --from` alike:
// read it (what the planner compares, and a fingerprint), then plan against its files as they are
// now and write only if they still have the fingerprint the editor read.
import type { LoadedLibrary } from "../../library/library-loader.ts";
import type { Outcome } from "../../ports/outcome.ts";
import type { EditApplied, EditRead, EditRequest } from "../../ports/profile-edit.ts";
import { envKeys } from "../env-file.ts";
import { copyOptionalSkills } from "../profile-skills.ts";
import { applyLocalEdit } from "./apply-local-edit.ts";
import { envValues } from "./plan-env-keys.ts";
import { planProfileEdit } from "./plan-profile-edit.ts";
import { changedBetween, fingerprint, readProfileTexts } from "./profile-texts.ts";
import { currentProfile } from "./read-current-profile.ts";

export async function readLocalForEdit(dir: string): Promise<Outcome<EditRead>> {
  const texts = await readProfileTexts(dir);
  const current = currentProfile(texts);
  if (!current.ok) return current;
  return {
    ok: true,
    value: {
      current: current.value,
      fingerprint: fingerprint(texts),
      keysSet: envKeys(texts.env ?? "")
        .filter((entry) => entry.set)
        .map((entry) => entry.key),
    },
  };
}

export async function editLocalProfile(
  dir: string,
  request: EditRequest,
  library: LoadedLibrary,
): Promise<Outcome<EditApplied>> {
  const texts = await readProfileTexts(dir);
  if (request.fingerprint !== undefined && fingerprint(texts) !== request.fingerprint) {
    const files = changedBetween(request.fingerprint, fingerprint(texts));
    return {
      ok: false,
      reason: `the profile changed since the editor read it (${files.join(", ") || "its files"}); nothing was written`,
    };
  }
  const current = currentProfile(texts);
  if (!current.ok) return current;
  // A delete removes every line of the key that holds a value, even one a later `KEY=` hides.
  const withValue = new Set(
    envKeys(texts.env ?? "")
      .filter((entry) => entry.set)
      .map((entry) => entry.key),
  );
  const { plan, env, result } = planProfileEdit(
    current.value,
    envValues(texts.env ?? ""),
    request,
    library,
    withValue,
  );
  if (request.dryRun || result.changes.length === 0) return { ok: true, value: result };
  const applied = await applyLocalEdit(dir, plan, texts, env);
  if (!applied.ok) return applied;
  const copies =
    plan.copies.length > 0
      ? await copyOptionalSkills(dir, plan.copies, library, () => new Date())
      : { copied: [], failures: [] };
  return {
    ok: true,
    value: {
      ...result,
      written: applied.value.written,
      reformatted: applied.value.reformatted,
      ...(applied.value.written.some((file) => file !== ".env")
        ? { undoFingerprint: applied.value.fingerprint }
        : {}),
      copied: copies.copied,
      copyFailures: copies.failures,
    },
  };
}
