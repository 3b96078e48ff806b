// A profile on a Hermes host read for the editor through the dashboard API: config.yaml (raw text),
// SOUL.md, the description Hermes lists, the skills it finds (with provenance: hub, bundled, agent)
// and the .env keys that hold a value (names only). What the planner compares is built from it the
// same way as on this machine, with two gaps the dashboard leaves: hub skills are known by name
// only (no lock.json identifiers), and profile.yaml's display_name cannot be read or written.
import { createHash } from "node:crypto";
import type { CurrentProfile } from "../../core/edit/current-profile.ts";
import type { DashboardClient, DashboardListing } from "../hermes/dashboard-client.ts";
import type { DashboardSkill } from "../hermes/dashboard-schemas.ts";
import type { Outcome } from "../ports/outcome.ts";
import { yamlMapping } from "../profile/yaml-mapping.ts";

export interface HostProfile {
  /** config.yaml as the host has it; "" when it has none. */
  readonly config: string;
  readonly soul: string | undefined;
  readonly description: string;
  readonly skills: readonly DashboardSkill[];
  readonly keysSet: readonly string[];
}

/** The parts of a host profile a fingerprint covers, as the user is told which one changed. */
const PARTS = ["config.yaml", "SOUL.md", "description", ".env", "skills"] as const;
type Part = (typeof PARTS)[number];
/** The parts an Undo puts back (keys and installs stay, as on this machine). */
export const HOST_UNDOABLE: readonly string[] = ["config.yaml", "SOUL.md", "description"];

export interface HostReader {
  readonly client: DashboardClient;
  readonly host: string;
  /** GET /api/profiles, shared with the backend's other calls in flight. */
  readonly listProfiles: () => Promise<DashboardListing>;
}

export async function readHostProfile(site: HostReader, name: string): Promise<Outcome<HostProfile>> {
  const [listed, config, soul, skills, keys] = await Promise.all([
    site.listProfiles(),
    site.client.rawConfig(name),
    site.client.soul(name),
    site.client.skills(name),
    site.client.envKeysSet(name),
  ]);
  if (!listed.ok) return { ok: false, reason: listed.failure.message };
  const profile = listed.value.find((entry) => entry.name === name);
  if (!profile) return { ok: false, reason: `there is no profile '${name}' on ${site.host}` };
  if (!config.ok) return { ok: false, reason: config.failure.message };
  if (!soul.ok) return { ok: false, reason: soul.failure.message };
  if (!skills.ok) return { ok: false, reason: skills.failure.message };
  if (!keys.ok) return { ok: false, reason: keys.failure.message };
  // As the host has it (the listing's own is cut for showing): compared, planned and undone as it is.
  const description = profile.descriptionAsIs;
  return {
    ok: true,
    value: {
      config: config.value,
      soul: soul.value,
      description: typeof description === "string" ? description : "",
      skills: skills.value,
      keysSet: [...keys.value].sort(),
    },
  };
}

/** What the planner compares: the same shape a local profile's files give. */
export function hostCurrent(profile: HostProfile): Outcome<CurrentProfile> {
  const config = yamlMapping(profile.config, "config.yaml");
  if (!config.ok) return config;
  const named = (provenance: string) =>
    profile.skills.filter((skill) => skill.provenance === provenance).map((skill) => skill.name);
  return {
    ok: true,
    value: {
      config: config.value,
      meta: profile.description !== "" ? { description: profile.description } : {},
      soul: profile.soul,
      hubInstalls: named("hub").map((name) => ({ name })),
      builtinsPresent: named("bundled"),
    },
  };
}

/** One short hash per part, so a later reading can say which part changed; key names only. */
export function hostFingerprint(profile: HostProfile): string {
  const texts: Record<Part, string | undefined> = {
    "config.yaml": profile.config,
    "SOUL.md": profile.soul,
    description: profile.description,
    ".env": JSON.stringify(profile.keysSet),
    skills: JSON.stringify(
      profile.skills
        .map((skill) => `${skill.name}:${skill.provenance ?? ""}:${String(skill.enabled ?? "")}`)
        .sort(),
    ),
  };
  return PARTS.map((part) => {
    const text = texts[part];
    return `${part}=${text === undefined ? "-" : createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
  }).join(";");
}

/** The parts whose hash differs between two fingerprints. */
export function hostPartsChanged(before: string, after: string): string[] {
  const parts = (print: string) =>
    new Map(print.split(";").map((part) => part.split("=") as [string, string]));
  const old = parts(before);
  const now = parts(after);
  return PARTS.filter((part) => old.get(part) !== now.get(part));
}
