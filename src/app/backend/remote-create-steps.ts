// What Hermes' create (POST /api/profiles) does not take, laid on the new profile afterwards
// through the dashboard's other endpoints: a clone's messaging-platform secrets removed, the
// secrets one by one into the profile's .env (PUT /api/env), SOUL.md, and config.yaml as a whole
// (GET/PUT /api/config/raw: MCP servers with their tool filters, a custom server's base URL, the
// persona). A step that fails throws RemoteStepFailed; dashboard-backend.ts then undoes the create.
import type { Blueprint } from "../../core/blueprint.ts";
import type { findProvider } from "../../core/catalog.ts";
import type { CreateStep } from "../../core/create-report.ts";
import { requiredSecrets } from "../../core/secrets.ts";
import type { DashboardClient } from "../hermes/dashboard-client.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import {
  applyBlueprint,
  applyContextLength,
  applyToolsetChoice,
  stripPlatformConfig,
} from "../profile/config-yaml.ts";
import type { Catalog } from "../../core/catalog.ts";
import { builtinsSwitchedOff } from "../../core/blueprint-checks.ts";
import { isPlatformEnvKey } from "../profile/env-file.ts";
import { applyPersona } from "../profile/shared-create-steps.ts";
import { defaultSoul, hasIdentity } from "../profile/soul-text.ts";

/** A step of a remote create that failed: the create stops there and is undone. */
export class RemoteStepFailed extends Error {}

/** The host the steps act on: its client, the library, and its config.yaml read/write. */
export interface LayOnSite {
  readonly client: DashboardClient;
  readonly library: LoadedLibrary;
  readonly backend: Pick<ProfileBackend, "readConfig" | "writeConfig">;
}

/** Every step, in order; throws RemoteStepFailed at the first that fails. */
export async function layOn(
  site: LayOnSite,
  blueprint: Blueprint,
  secrets: ReadonlyMap<string, string>,
  provider: ReturnType<typeof findProvider>,
  personas: PersonaLookup | undefined,
): Promise<CreateStep[]> {
  const steps: CreateStep[] = [];
  if (blueprint.clone_from) steps.push(await dropPlatformSecrets(site.client, blueprint.name));
  steps.push(await writeSecrets(site, blueprint, secrets));
  steps.push(await writeSoul(site.client, blueprint));
  steps.push(...(await writeConfig(site.backend, blueprint, provider, personas, site.library.catalog)));
  return steps;
}

/**
 * Hermes' clone copies the source's messaging-platform tokens; one bot token polled by two
 * gateways breaks both (Telegram answers 409), so they are removed as the local writer removes them.
 */
async function dropPlatformSecrets(client: DashboardClient, name: string): Promise<CreateStep> {
  const keys = await client.envKeysSet(name);
  if (!keys.ok) throw new RemoteStepFailed(`.env of the clone: ${keys.failure.message}`);
  const platform = keys.value.filter(isPlatformEnvKey);
  for (const key of platform) {
    const removed = await client.deleteEnv(name, key);
    if (!removed.ok && removed.failure.fault !== "not found")
      throw new RemoteStepFailed(`.env of the clone, ${key}: ${removed.failure.message}`);
  }
  return {
    step: "clone",
    ok: true,
    detail: `by Hermes${platform.length > 0 ? `; platform settings removed: ${platform.join(", ")}` : ""}`,
  };
}

/** Every secret the blueprint needs that has a value, one PUT each; empty ones are left unset. */
async function writeSecrets(
  site: LayOnSite,
  blueprint: Blueprint,
  secrets: ReadonlyMap<string, string>,
): Promise<CreateStep> {
  const needed = requiredSecrets(blueprint, site.library.catalog);
  const given: string[] = [];
  for (const entry of needed) {
    const value = secrets.get(entry.env) || entry.default || "";
    if (value === "") continue;
    const written = await site.client.setEnv(blueprint.name, entry.env, value);
    if (!written.ok) throw new RemoteStepFailed(`.env ${entry.env}: ${written.failure.message}`);
    given.push(entry.env);
  }
  const empty = needed.map((entry) => entry.env).filter((env) => !given.includes(env));
  return {
    step: ".env",
    ok: true,
    detail: `${given.length} secret(s) set through Hermes${empty.length > 0 ? `; not set yet: ${empty.join(", ")}` : ""}`,
  };
}

async function writeSoul(client: DashboardClient, blueprint: Blueprint): Promise<CreateStep> {
  if (!blueprint.soul && !hasIdentity(blueprint))
    return {
      step: "SOUL.md",
      ok: true,
      detail: blueprint.clone_from ? "cloned" : "Hermes' default identity",
    };
  const written = await client.putSoul(blueprint.name, blueprint.soul ?? defaultSoul(blueprint));
  if (!written.ok) throw new RemoteStepFailed(`SOUL.md: ${written.failure.message}`);
  return {
    step: "SOUL.md",
    ok: true,
    detail: blueprint.soul ? "from the blueprint" : "identity from the display name and description",
  };
}

/** MCP servers, a custom server's base URL, the persona (and a clone's platform sections removed), in one PUT. */
async function writeConfig(
  backend: LayOnSite["backend"],
  blueprint: Blueprint,
  provider: ReturnType<typeof findProvider>,
  personas: PersonaLookup | undefined,
  catalog: Catalog,
): Promise<CreateStep[]> {
  const baseUrl = blueprint.model?.base_url ?? provider?.base_url?.default;
  // The built-ins the user switched off, by the names Hermes compares (frontmatter names), as the
  // local writer writes them; a skill of the host's tree the bot does not offer is left on.
  // An empty keep list was sent as Hermes' `no_skills`: nothing seeded, nothing to switch off.
  const kept = blueprint.skills.builtin;
  const disabled = Array.isArray(kept) && kept.length === 0 ? [] : builtinsSwitchedOff(blueprint, catalog);
  const wantsConfig =
    disabled.length > 0 ||
    blueprint.mcp_servers.length > 0 ||
    Boolean(provider?.base_url && baseUrl) ||
    Boolean(blueprint.model?.context_length) ||
    Boolean(blueprint.persona) ||
    Boolean(blueprint.toolsets) ||
    Boolean(blueprint.clone_from);
  if (!wantsConfig) return [];
  const read = await backend.readConfig(blueprint.name);
  if (!read.ok) throw new RemoteStepFailed(`config.yaml: ${read.reason}`);
  const { doc } = read.value;
  // As for .env: a cloned config keeps no messaging-platform sections.
  const stripped = blueprint.clone_from ? stripPlatformConfig(doc) : [];
  // The model itself was set by Hermes at create; only what its create does not take is laid on.
  applyBlueprint(doc, { ...blueprint, model: null }, undefined, disabled);
  applyToolsetChoice(doc, blueprint, catalog);
  if (provider?.base_url && baseUrl) doc.setIn(["model", "base_url"], baseUrl);
  if (blueprint.model) applyContextLength(doc, blueprint.model.context_length);
  const personaStep = applyPersona(doc, blueprint, personas);
  const written = await backend.writeConfig(blueprint.name, { doc });
  if (!written.ok) throw new RemoteStepFailed(`config.yaml: ${written.reason}`);
  return [
    {
      step: "config.yaml",
      ok: true,
      detail: `written through Hermes: ${blueprint.model ? `model ${blueprint.model.provider}/${blueprint.model.model}` : "no model"}; ${blueprint.mcp_servers.length} MCP server(s)${
        disabled.length > 0 ? `; ${disabled.length} built-in skill(s) switched off` : ""
      }${stripped.length > 0 ? `; platform sections removed: ${stripped.join(", ")}` : ""}`,
    },
    ...(personaStep ? [personaStep] : []),
  ];
}
