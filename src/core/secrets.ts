// Which secrets a blueprint needs, and the .env variable each one goes into. Values never pass
// through here: the wizard asks for them privately and the writer puts them only in `.env`.
import { ENV_REFERENCE_PATTERN, type Blueprint, type McpServerSpec } from "./blueprint.ts";
import { findProvider, type Catalog } from "./catalog.ts";
import { skillSecrets, type SkillSecret } from "./skill-secrets.ts";

export interface SecretRequirement {
  /** The `.env` variable, e.g. OPENROUTER_API_KEY or MCP_DOCS_API_KEY. */
  readonly env: string;
  /** What to ask for, e.g. "OpenRouter API key". */
  readonly prompt: string;
  /**
   * A catalog manifest's `default` for a variable it marks `secret: false` (a server URL, say):
   * written when the user gives nothing, as Hermes' own install prompt uses it.
   */
  readonly default?: string;
  /** A skill's variable declared `optional: true`: the skill works without it. */
  readonly optional?: boolean;
}

/**
 * Hermes' rule (hermes_cli/mcp_config.py `_env_key_for_server`): a bearer token for MCP server
 * <name> lives in MCP_<NAME>_API_KEY, <NAME> upper-cased, other characters → `_`, outer `_` trimmed.
 */
export function mcpApiKeyEnv(serverName: string): string {
  const suffix = serverName
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_")
    .replace(/^_+|_+$/g, "");
  return `MCP_${suffix}_API_KEY`;
}

export function requiredSecrets(blueprint: Blueprint, catalog: Catalog): SecretRequirement[] {
  const found = new Map<string, SecretRequirement>();
  const provider = blueprint.model ? findProvider(catalog, blueprint.model.provider) : undefined;
  if (provider?.api_key_env) {
    found.set(provider.api_key_env, { env: provider.api_key_env, prompt: `${provider.label} API key` });
  }
  for (const secret of skillSecrets(blueprint.skills, Boolean(blueprint.clone_from), catalog)) {
    if (!found.has(secret.env)) found.set(secret.env, skillRequirement(secret));
  }
  for (const server of blueprint.mcp_servers) {
    for (const requirement of mcpServerSecrets(server, catalog)) {
      if (!found.has(requirement.env)) found.set(requirement.env, requirement);
    }
  }
  return [...found.values()];
}

/** What the wizard asks for a skill's variable: its name and skill only (a SKILL.md's own prompt is outside text). */
export function skillRequirement(secret: SkillSecret): SecretRequirement {
  return {
    env: secret.env,
    prompt: `${secret.env} for skill ${secret.skill}`,
    ...(secret.optional ? { optional: true } : {}),
  };
}

export function mcpServerSecrets(server: McpServerSpec, catalog: Catalog): SecretRequirement[] {
  const manifest = catalog.mcps.find((entry) => entry.name === server.name);
  const promptFor = (env: string) =>
    manifest?.auth.env.find((variable) => variable.name === env)?.prompt ??
    `${env} for MCP server ${server.name}`;
  if (server.url !== undefined) {
    if (server.auth !== "api_key") return [];
    const env = mcpApiKeyEnv(server.name);
    const prompt = manifest?.auth.env[0]?.prompt ?? `API key for MCP server ${server.name}`;
    return [{ env, prompt }];
  }
  return Object.values(server.env ?? {}).flatMap((value) => {
    const reference = ENV_REFERENCE_PATTERN.exec(value);
    const env = reference?.[1];
    if (!env) return [];
    const spec = manifest?.auth.env.find((variable) => variable.name === env);
    const fallback =
      spec && !spec.secret && spec.default && /^[\x21-\x7e]+$/.test(spec.default) ? spec.default : undefined;
    return [{ env, prompt: promptFor(env), ...(fallback ? { default: fallback } : {}) }];
  });
}
