// The keys a profile on a Hermes host needs, read through the dashboard as on this machine: its
// config.yaml (provider, `${VAR}` in MCP servers), each skill's SKILL.md frontmatter (GET
// /api/skills/content, a few at a time, at most HOST_KEY_SKILLS_MAX skills) and the .env keys that
// hold a value (GET /api/env: names only — a host never sends the bot a value).
import type { Catalog } from "../../core/catalog.ts";
import type { DashboardClient } from "../hermes/dashboard-client.ts";
import type { Outcome } from "../ports/outcome.ts";
import type { ProfileKeys } from "../ports/profile-backend.ts";
import { neededKeys, skillDeclaration, type SkillDeclaration } from "../profile/keys/needed-keys.ts";
import { yamlRecord } from "./local-backend.ts";

/** Skills whose SKILL.md is read for declared keys; more are left out, and said so. */
export const HOST_KEY_SKILLS_MAX = 300;
/** SKILL.md reads in flight at once against one host. */
export const HOST_KEY_READS_AT_ONCE = 8;

export async function hostProfileKeys(
  client: DashboardClient,
  name: string,
  catalog: Catalog,
): Promise<Outcome<ProfileKeys>> {
  const [config, skills, keys] = await Promise.all([
    client.rawConfig(name),
    client.skills(name),
    client.envKeysSet(name),
  ]);
  if (!config.ok) return { ok: false, reason: config.failure.message };
  if (!skills.ok) return { ok: false, reason: skills.failure.message };
  if (!keys.ok) return { ok: false, reason: keys.failure.message };
  const listed = skills.value.slice(0, HOST_KEY_SKILLS_MAX);
  const declarations: SkillDeclaration[] = [];
  let unread = 0;
  for (let start = 0; start < listed.length; start += HOST_KEY_READS_AT_ONCE) {
    const batch = listed.slice(start, start + HOST_KEY_READS_AT_ONCE);
    const texts = await Promise.all(batch.map((skill) => client.skillText(name, skill.name)));
    texts.forEach((text, index) => {
      if (text.ok) declarations.push(skillDeclaration(text.value, batch[index]?.name ?? ""));
      else unread += 1;
    });
  }
  const leftOut = skills.value.length - listed.length;
  const notes = [
    ...(leftOut > 0 ? [`${leftOut} skill(s) past the first ${HOST_KEY_SKILLS_MAX} were not read.`] : []),
    ...(unread > 0
      ? [`${unread} skill(s) could not be read from the host; their keys may be missing here.`]
      : []),
  ];
  return {
    ok: true,
    value: neededKeys({
      config: yamlRecord(config.value),
      skills: declarations.filter((declaration) => declaration.vars.length > 0),
      keysSet: keys.value,
      catalog,
    }),
    ...(notes.length > 0 ? { notes } : {}),
  };
}
