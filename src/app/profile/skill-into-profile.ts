// `/profile install <profile> <skill>`: one hub or optional skill into a profile that exists, the
// way the editor adds one — the profile read, its skills with the new one applied (an optional
// skill is copied in and recorded as Hermes records it; a hub skill is returned to be installed
// by the install queue, whose live status message follows, scan verdict included).
import { findSkill } from "../../core/blueprint-checks.ts";
import { draftFromProfile } from "../../core/edit/profile-draft.ts";
import { isHubIdentifier, shownIdentifier } from "../../core/hub-identifier.ts";
import { refusal, reply, type Reply } from "../../core/reply.ts";
import { draftToEditBlueprint } from "../../core/wizard/draft-blueprint.ts";
import type { WizardContext } from "../../core/wizard/index.ts";
import type { ProfileBackend, ProfileRef } from "../ports/profile-backend.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";

export interface SkillInstallAnswer {
  readonly reply: Reply;
  /** Hub identifiers for the install queue. */
  readonly installs: readonly string[];
}

export async function installSkillInto(
  backend: ProfileBackend,
  ref: ProfileRef,
  rawSkill: string,
  ctx: WizardContext,
  personas?: PersonaLookup,
): Promise<SkillInstallAnswer> {
  const refused = (text: string) => ({ reply: refusal(text), installs: [] });
  const skill = rawSkill.trim();
  const optional = findSkill(ctx.catalog.optionalSkills, skill);
  if (!optional && !isHubIdentifier(skill))
    return refused(
      `'${shownIdentifier(skill)}' is neither one of the library's optional skills (e.g. devops/docker-debug) nor a hub identifier (official/<category>/<name>, <owner>/<repo>/<path>, skills-sh/…, an https:// URL).`,
    );
  const read = await backend.readForEdit(ref);
  if (!read.ok) return refused(read.reason);
  const { name } = backend.where(ref);
  const { draft, keptServers } = draftFromProfile(name, read.value.current, ctx.catalog);
  const wanted = optional
    ? { ...draft, optional: [...new Set([...draft.optional, optional.id])] }
    : { ...draft, hub: [...new Set([...draft.hub, skill])] };
  const checked = draftToEditBlueprint(wanted, ctx);
  if (!checked.ok) return refused(checked.problems.join("\n"));
  const applied = await backend.applyEdit(ref, {
    blueprint: checked.blueprint,
    keys: new Set(["skills"]),
    fingerprint: read.value.fingerprint,
    secrets: new Map(),
    keptServers,
    ...(personas ? { personas } : {}),
  });
  if (!applied.ok) return refused(`Not installed: ${applied.reason}.`);
  const { changes, copied, copyFailures, installs } = applied.value;
  if (changes.length === 0)
    return {
      reply: reply(`'${shownIdentifier(skill)}' is already in profile '${name}' and switched on.`),
      installs: [],
    };
  return {
    reply: reply(
      [
        ...copied.map((id) => `Optional skill ${id} copied into profile '${name}'.`),
        ...copyFailures.map((failure) => `Optional skill ${failure} could not be copied.`),
        ...changes
          .filter((change) => change.detail?.startsWith("switched on"))
          .map((change) => `${change.what} was there, switched off: switched on again.`),
        ...(installs.length > 0
          ? [`Installing ${installs.join(", ")} into profile '${name}'; progress follows.`]
          : []),
      ].join("\n"),
      { ok: copyFailures.length === 0 },
    ),
    installs,
  };
}
