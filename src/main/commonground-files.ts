// `blueprint export --format commonground <profile | blueprint.yaml>` and `blueprint import
// --format commonground <file.yaml>`: a Hermes profile or blueprint as a CommonGround profile, and
// back, printed to stdout. What has no counterpart on the other side is printed first as YAML
// comments, so it stays with the document when the output is saved; keys never appear, only the
// names of the environment variables the worker needs.
import { readFile, stat } from "node:fs/promises";
import { stringify } from "yaml";
import { blueprintToYaml, checkBlueprintData } from "../core/blueprint-yaml.ts";
import { CG_DOCUMENT_MAX_BYTES, CG_YAML_OPTIONS, readCgProfile } from "../core/commonground/cg-profile.ts";
import { exportCommonGround, type ExportPersona } from "../core/commonground/export-profile.ts";
import { importCommonGround } from "../core/commonground/import-profile.ts";
import { record } from "../core/edit/current-profile.ts";
import { draftFromProfile } from "../core/edit/profile-draft.ts";
import { EXIT } from "../app/system/exit.ts";
import { defaultSoul, hasIdentity } from "../app/profile/soul-text.ts";
import type { PersonaLookup } from "../app/ports/persona-lookup.ts";
import { filePersonas, readBlueprintFile } from "./blueprint-file.ts";
import { openBackend } from "./open-backend.ts";
import type { Setup } from "./load-setup.ts";

export const FORMATS = ["commonground"] as const;

export function checkFormat(format: string, err: (line: string) => void): boolean {
  if ((FORMATS as readonly string[]).includes(format)) return true;
  err(`--format ${format}: the formats are ${FORMATS.join(", ")}`);
  return false;
}

const comment = (line: string) => `# ${line.replace(/\n/g, " ")}`;

function personaFor(
  personas: PersonaLookup,
  id: string | undefined,
  body?: string,
): ExportPersona | undefined {
  const persona = id ? personas.get(id) : undefined;
  if (!persona && body === undefined) return undefined;
  return {
    id: persona?.meta.id ?? id ?? "",
    category: persona?.meta.category ?? "",
    tags: persona?.meta.tags ?? [],
    body: body ?? persona?.body ?? "",
  };
}

/** A blueprint file: its identity text as Create writes SOUL.md, but never Hermes' own default one. */
async function fromFile(file: string, personas: PersonaLookup) {
  const read = await readBlueprintFile(file);
  if (!read.ok) return read;
  const { blueprint } = read;
  const persona =
    blueprint.persona?.mode === "overlay" ? personaFor(personas, blueprint.persona.id) : undefined;
  return {
    ok: true as const,
    source: file,
    blueprint,
    // Hermes' own default identity ("You are Hermes Agent…") is not a CommonGround worker's.
    identity: blueprint.soul ?? (hasIdentity(blueprint) ? defaultSoul(blueprint) : ""),
    persona,
    skills: [...blueprint.skills.optional, ...blueprint.skills.hub],
  };
}

/** A profile on this machine, as Hermes reads it: its SOUL.md and the prompt its sessions start with. */
async function fromProfile(name: string, setup: Setup, personas: PersonaLookup) {
  const backend = openBackend(setup);
  const read = await backend.readForEdit(name);
  if (!read.ok) return { ok: false as const, problems: [`profile '${name}': ${read.reason}`] };
  const { current } = read.value;
  const { draft } = draftFromProfile(name, current, setup.library.catalog);
  const checked = checkBlueprintData({
    name,
    description: draft.description ?? null,
    model:
      draft.provider && draft.model
        ? { provider: draft.provider, model: draft.model, base_url: draft.base_url ?? null }
        : null,
    mcp_servers: draft.mcp,
    ...(draft.toolsets ? { toolsets: [...draft.toolsets] } : {}),
  });
  if (!checked.ok)
    return { ok: false as const, problems: checked.problems.map((p) => `profile '${name}': ${p}`) };
  const prompt = record(current.config["agent"])["system_prompt"];
  const active = record(current.config["display"])["personality"];
  const persona =
    typeof prompt === "string" && prompt.trim() !== ""
      ? personaFor(personas, typeof active === "string" ? active : undefined, prompt)
      : undefined;
  return {
    ok: true as const,
    source: `profile '${name}'`,
    blueprint: checked.blueprint,
    identity: current.soul ?? "",
    persona,
    skills: [...(current.builtinsPresent ?? []), ...current.hubInstalls.map((skill) => skill.name)],
  };
}

async function isFile(source: string): Promise<boolean> {
  return stat(source).then(
    (info) => info.isFile(),
    () => false,
  );
}

export async function exportProfile(
  source: string,
  setup: Setup,
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const personas = await filePersonas(setup);
  const looksLikeFile = /\.ya?ml$/i.test(source) || (await isFile(source));
  const read = looksLikeFile ? await fromFile(source, personas) : await fromProfile(source, setup, personas);
  if (!read.ok) {
    err(`${source}: ${read.problems.length} problem(s):\n${read.problems.map((p) => `  ${p}`).join("\n")}`);
    return EXIT.badInput;
  }
  const worker = env["COMMONGROUND_WORKER_TARGET"]?.trim();
  const exported = exportCommonGround({
    blueprint: read.blueprint,
    identity: read.identity,
    ...(read.persona ? { persona: read.persona } : {}),
    ...(worker ? { defaultWorkerTarget: worker } : {}),
    skills: read.skills,
  });
  out(comment(`CommonGround profile exported by agent-blueprint from ${read.source}`));
  if (exported.env.length > 0)
    out(
      comment(
        `the worker needs these environment variables (values are never exported): ${exported.env.join(", ")}`,
      ),
    );
  for (const note of exported.notes) out(comment(note));
  out(stringify(exported.profile, CG_YAML_OPTIONS).trimEnd());
  return EXIT.ok;
}

export async function importProfile(
  file: string,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > CG_DOCUMENT_MAX_BYTES) {
      err(`${file}: ${info.isFile() ? `larger than ${CG_DOCUMENT_MAX_BYTES} bytes` : "not a regular file"}`);
      return EXIT.badInput;
    }
    const bytes = await readFile(file);
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    err(`${file}: ${code ? `cannot be read (${code})` : "not UTF-8 text"}`);
    return EXIT.badInput;
  }
  const read = readCgProfile(text);
  if (!read.ok) {
    err(`${file}: not a profile CommonGround would take: ${read.problem}`);
    return EXIT.badInput;
  }
  const imported = importCommonGround(read.profile);
  if (!imported.ok) {
    err(
      `${file}: ${imported.problems.length} problem(s):\n${imported.problems.map((p) => `  ${p}`).join("\n")}`,
    );
    return EXIT.badInput;
  }
  out(comment(`blueprint imported by agent-blueprint from CommonGround profile '${read.profile.name}'`));
  for (const note of imported.notes) out(comment(note));
  out(blueprintToYaml(imported.blueprint.blueprint).trimEnd());
  return EXIT.ok;
}
