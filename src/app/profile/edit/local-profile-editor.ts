// Editing a profile in this machine's Hermes home, for the chat editor and `apply --from` alike:
// read it (what the planner compares, and a fingerprint), then plan against its files as they are
// now and write only if they still have the fingerprint the editor read.
import { record } from "../../../core/edit/current-profile.ts";
import { planEdit } from "../../../core/edit/plan-edit.ts";
import { requiredSecrets } from "../../../core/secrets.ts";
import type { LoadedLibrary } from "../../library/library-loader.ts";
import { personalityPreset, renderPersonality } from "../../persona/personality.ts";
import type { Outcome } from "../../ports/outcome.ts";
import type { EditApplied, EditRead, EditRequest } from "../../ports/profile-edit.ts";
import { envKeys } from "../env-file.ts";
import { copyOptionalSkills } from "../profile-skills.ts";
import { applyLocalEdit } from "./apply-local-edit.ts";
import { planEnvKeys } from "./plan-env-keys.ts";
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
  const { blueprint } = request;
  const wanted = blueprint.persona ? request.personas?.get(blueprint.persona.id) : undefined;
  const activeName = record(current.value.config["display"])["personality"];
  const activePreset =
    typeof activeName === "string"
      ? record(record(current.value.config["agent"])["personalities"])[activeName]
      : undefined;
  const plan = planEdit(current.value, blueprint, request.keys, {
    catalog: library.catalog,
    ...(wanted
      ? {
          persona: {
            id: wanted.meta.id,
            preset: personalityPreset(wanted),
            rendered: renderPersonality(personalityPreset(wanted)),
          },
        }
      : {}),
    ...(activePreset !== undefined ? { renderedActive: renderPersonality(activePreset) } : {}),
    ...(request.keptServers ? { keptServers: request.keptServers } : {}),
  });
  const needed = requiredSecrets(blueprint, library.catalog).map((entry) => entry.env);
  // Keys given for this edit are set whether or not the blueprint names them (Edit keys).
  const keys = planEnvKeys(texts.env, [...new Set([...needed, ...request.secrets.keys()])], request.secrets);
  const present = new Set(
    envKeys(texts.env ?? "")
      .filter((entry) => entry.set)
      .map((entry) => entry.key),
  );
  const deletes = (request.deleteKeys ?? []).filter((key) => present.has(key) && !request.secrets.has(key));
  const result: EditApplied = {
    changes: [
      ...plan.changes,
      ...keys.changes,
      ...deletes.map((key) => ({
        kind: "removed" as const,
        what: `key ${key}`,
        detail: "deleted from .env",
      })),
    ],
    notes: plan.notes,
    // Only for the parts this edit changes: a SOUL.md edit does not nag about the model's key.
    missingKeys: request.keys.has("model") || request.keys.has("mcp_servers") ? keys.missing : [],
    written: [],
    reformatted: [],
    installs: plan.installs,
    copied: [],
    copyFailures: [],
  };
  if (request.dryRun || result.changes.length === 0) return { ok: true, value: result };
  const applied = await applyLocalEdit(dir, plan, texts, { set: keys.set, delete: deletes });
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
