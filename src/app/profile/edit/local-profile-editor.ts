// Editing a profile in this machine's Hermes home, for the chat editor and `apply --from` alike:
// read it (what the planner compares, and a fingerprint), then plan against its files as they are
// now and write only if they still have the fingerprint the editor read.
import type { Blueprint } from "../../../core/blueprint.ts";
import type { CurrentProfile } from "../../../core/edit/current-profile.ts";
import { record } from "../../../core/edit/current-profile.ts";
import { planEdit } from "../../../core/edit/plan-edit.ts";
import type { ProfileChange } from "../../../core/edit/profile-change.ts";
import { requiredSecrets } from "../../../core/secrets.ts";
import type { LoadedLibrary } from "../../library/library-loader.ts";
import { personalityPreset, renderPersonality } from "../../persona/personality.ts";
import type { Outcome } from "../../ports/outcome.ts";
import type { PersonaLookup } from "../../ports/persona-lookup.ts";
import { envKeys } from "../env-file.ts";
import { copyOptionalSkills } from "../profile-skills.ts";
import { applyLocalEdit } from "./apply-local-edit.ts";
import { planEnvKeys } from "./plan-env-keys.ts";
import { changedBetween, fingerprint, readProfileTexts } from "./profile-texts.ts";
import { currentProfile } from "./read-current-profile.ts";

export interface EditRead {
  readonly current: CurrentProfile;
  readonly fingerprint: string;
  /** Keys with a value in .env (names only). */
  readonly keysSet: string[];
}

export interface EditRequest {
  readonly blueprint: Blueprint;
  /** The blueprint keys to match (the file's keys, or the parts changed in the chat editor). */
  readonly keys: ReadonlySet<string>;
  /** Refuse unless the files still have this fingerprint (the chat editor's reading). */
  readonly fingerprint?: string;
  /** Keys to set in .env, by variable name. */
  readonly secrets: ReadonlyMap<string, string>;
  readonly personas?: PersonaLookup;
  readonly keptServers?: readonly string[];
  /** Plan only: nothing is written. */
  readonly dryRun?: boolean;
}

export interface EditApplied {
  readonly changes: ProfileChange[];
  readonly notes: string[];
  /** Keys the blueprint needs that are neither given nor set. */
  readonly missingKeys: string[];
  readonly written: string[];
  readonly reformatted: string[];
  /** Hub identifiers to install now. */
  readonly installs: string[];
  readonly copied: string[];
  readonly copyFailures: string[];
}

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
  const keys = planEnvKeys(texts.env, needed, request.secrets);
  const result: EditApplied = {
    changes: [...plan.changes, ...keys.changes],
    notes: plan.notes,
    missingKeys: keys.missing,
    written: [],
    reformatted: [],
    installs: plan.installs,
    copied: [],
    copyFailures: [],
  };
  if (request.dryRun || result.changes.length === 0) return { ok: true, value: result };
  const applied = await applyLocalEdit(dir, plan, texts, keys.set);
  if (!applied.ok) return applied;
  const copies =
    plan.copies.length > 0
      ? await copyOptionalSkills(dir, plan.copies, library, () => new Date())
      : { copied: [], failures: [] };
  return {
    ok: true,
    value: {
      ...result,
      ...applied.value,
      copied: copies.copied,
      copyFailures: copies.failures,
    },
  };
}
