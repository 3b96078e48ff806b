// Where hub skills come from for the bundled installer: library/hub/, or BLUEPRINT_HUB (a folder,
// or a file:// git repository cloned shallowly). Identifiers resolve inside it and nowhere else.
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hubIdentifierSchema } from "../../core/blueprint.ts";

export type TrustLevel = "builtin" | "trusted" | "community";

/**
 * Repositories whose skills count as trusted (blocked only when dangerous): Hermes 0.19's
 * TRUSTED_REPOS (tools/skills_guard.py), matched as Hermes matches them — exactly, case and all.
 */
export const TRUSTED_REPOS: readonly string[] = [
  "openai/skills",
  "anthropics/skills",
  "huggingface/skills",
  "NVIDIA/skills",
];
/** Prefixes Hermes strips before it judges trust (`skills-sh/<owner>/<repo>/…` is the repo's). */
const SKILLS_SH_PREFIXES = ["skills-sh/", "skills.sh/", "skils-sh/", "skils.sh/"];
/** How long a shallow clone of a file:// hub may take. */
export const HUB_CLONE_TIMEOUT_MS = 60_000;

export interface HubSkill {
  readonly dir: string;
  readonly source: "official" | "github";
  readonly trust: TrustLevel;
}

export interface OpenHub {
  readonly root: string;
  close(): Promise<void>;
}

export async function openHub(setting: string | undefined, defaultRoot: string): Promise<OpenHub> {
  if (!setting) return { root: defaultRoot, close: () => Promise.resolve() };
  const local = setting.startsWith("file://") ? fileURLToPath(setting) : path.resolve(setting);
  const isGit = await stat(path.join(local, ".git")).then(
    () => true,
    () => false,
  );
  if (!setting.startsWith("file://") || !isGit) return { root: local, close: () => Promise.resolve() };
  const clone = await mkdtemp(path.join(os.tmpdir(), "blueprint-hub-"));
  const { execa } = await import("execa");
  await execa("git", ["clone", "--depth", "1", "--quiet", setting, clone], {
    timeout: HUB_CLONE_TIMEOUT_MS,
    stdin: "ignore",
  });
  return { root: clone, close: () => rm(clone, { recursive: true, force: true }) };
}

/** Hermes' `_resolve_trust_level` for an identifier of the bundled hub. */
export function trustOf(identifier: string): TrustLevel {
  if (identifier.startsWith("official/")) return "builtin";
  const prefix = SKILLS_SH_PREFIXES.find((candidate) => identifier.startsWith(candidate));
  const source = prefix ? identifier.slice(prefix.length) : identifier;
  return TRUSTED_REPOS.some((repo) => source === repo || source.startsWith(`${repo}/`))
    ? "trusted"
    : "community";
}

/** The skill folder an identifier names in the hub, or undefined when it names nothing there. */
export async function resolveHubSkill(hubRoot: string, identifier: string): Promise<HubSkill | undefined> {
  if (!hubIdentifierSchema.safeParse(identifier).success) return undefined;
  // Only path-shaped identifiers exist in a local hub; URLs and well-known: need the network.
  if (/^(https?:|well-known:|skills-sh\/)/.test(identifier) || identifier.split("/").length < 3)
    return undefined;
  const root = path.resolve(hubRoot);
  const dir = path.resolve(root, ...identifier.split("/"));
  if (!dir.startsWith(`${root}${path.sep}`)) return undefined;
  const found = await stat(path.join(dir, "SKILL.md")).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!found) return undefined;
  return {
    dir,
    source: identifier.startsWith("official/") ? "official" : "github",
    trust: trustOf(identifier),
  };
}
