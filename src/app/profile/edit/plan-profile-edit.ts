// The planning half of an Apply, the same wherever the profile lives: the blueprint's parts against
// the profile as read (planEdit), the persona's preset rendered as Hermes renders it, the keys to set
// and delete against what is known of its .env, and the result the user is shown before anything
// is written. The local and the host editors differ only in how they read and write.
import { record, type CurrentProfile } from "../../../core/edit/current-profile.ts";
import { planEdit, type EditPlan } from "../../../core/edit/plan-edit.ts";
import { requiredSecrets } from "../../../core/secrets.ts";
import type { LoadedLibrary } from "../../library/library-loader.ts";
import { personalityPreset, renderPersonality } from "../../persona/personality.ts";
import type { EditApplied, EditRequest } from "../../ports/profile-edit.ts";
import type { EnvChanges } from "./apply-local-edit.ts";
import { hasValue, planEnvKeysAgainst } from "./plan-env-keys.ts";

export interface PlannedProfileEdit {
  readonly plan: EditPlan;
  readonly env: EnvChanges;
  /** What the Apply will report, before its writes are added. */
  readonly result: EditApplied;
}

/**
 * `envNow`: every key .env has, with its value, or `null` when it is set but its value is not
 * known to this reader; a key with an empty value is not set.
 */
export function planProfileEdit(
  current: CurrentProfile,
  envNow: ReadonlyMap<string, string | null>,
  request: EditRequest,
  library: LoadedLibrary,
  /** Keys a delete removes: any with a line holding a value (default: the set ones of `envNow`). */
  deletable?: ReadonlySet<string>,
): PlannedProfileEdit {
  const { blueprint } = request;
  const wanted = blueprint.persona ? request.personas?.get(blueprint.persona.id) : undefined;
  const activeName = record(current.config["display"])["personality"];
  const activePreset =
    typeof activeName === "string"
      ? record(record(current.config["agent"])["personalities"])[activeName]
      : undefined;
  const plan = planEdit(current, blueprint, request.keys, {
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
  const keys = planEnvKeysAgainst(
    envNow,
    [...new Set([...needed, ...request.secrets.keys()])],
    request.secrets,
  );
  const deletes = (request.deleteKeys ?? []).filter(
    (key) => (deletable ? deletable.has(key) : hasValue(envNow.get(key))) && !request.secrets.has(key),
  );
  return {
    plan,
    env: { set: keys.set, delete: deletes },
    result: {
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
    },
  };
}
