// What the bot offers: providers and models, built-in and optional skills, the MCP catalog and the
// persona library. Plain data, loaded from library/ by the app and handed to the core.
import { z } from "zod";
import {
  ENV_VAR_NAME_PATTERN,
  MCP_DESCRIPTION_MAX_CHARS,
  MCP_SERVER_NAME_PATTERN,
  MCP_TOOL_NAME_MAX_CHARS,
  MCP_TOOLS_MAX,
  PROVIDER_SLUG_PATTERN,
  URL_MAX_CHARS,
} from "./limits.ts";
import type { ToolsetCatalog } from "./toolsets.ts";

const httpUrl = z
  .string()
  .max(URL_MAX_CHARS)
  .regex(/^https?:\/\/\S+$/, "must be an http(s) URL");

/** One entry of library/models.yaml. */
export const providerSchema = z
  .object({
    /** The wizard's key for this entry; Hermes' own provider id unless `hermes_provider` says otherwise. */
    slug: z.string().regex(PROVIDER_SLUG_PATTERN),
    /** What config.yaml's model.provider gets, when it differs from the slug (Ollama → `custom`). */
    hermes_provider: z.string().regex(PROVIDER_SLUG_PATTERN).optional(),
    /** Other names a blueprint file may use (Hermes' input aliases, e.g. `google` for `gemini`). */
    aliases: z.array(z.string().regex(PROVIDER_SLUG_PATTERN)).optional(),
    label: z.string().min(1).max(80),
    api_key_env: z.string().regex(ENV_VAR_NAME_PATTERN).nullable(),
    /** Local / OpenAI-compatible servers need a base URL; cloud providers do not. */
    base_url: z.object({ required: z.boolean(), default: httpUrl }).strict().nullable(),
    /** How to ask a server with a base URL for its models: Ollama's /api/tags or OpenAI's /v1/models. */
    models_endpoint: z.enum(["ollama", "openai"]).nullable(),
    models: z.array(z.string().min(1).max(200)).min(1),
    /** A provider one signs in to with Hermes (OAuth) instead of giving a key; only from Hermes' registry. */
    login: z.literal("oauth").optional(),
  })
  .strict();

/** A provider only Hermes knows: its model list may be empty (the wizard then asks for the model id). */
export const hermesOnlyProviderSchema = providerSchema.extend({
  models: z.array(z.string().min(1).max(200)),
});

export const modelsFileSchema = z.object({ providers: z.array(providerSchema).min(1) }).strict();

export type ProviderInfo = z.infer<typeof providerSchema>;

/**
 * An MCP catalog entry in Hermes' manifest_version 1 format (optional-mcps/<name>/manifest.yaml), as
 * Hermes 0.19's own loader reads it (hermes_cli/mcp_catalog.py `_parse_manifest`): the same keys,
 * the same defaults. Two keys are ours and Hermes ignores them: `auth.env[].server_env` and
 * `suggest`. Unknown keys are refused (a typo in our library must not pass silently).
 */
export const mcpManifestSchema = z
  .object({
    manifest_version: z.literal(1),
    name: z.string().regex(MCP_SERVER_NAME_PATTERN),
    description: z.string().trim().min(1).max(MCP_DESCRIPTION_MAX_CHARS),
    source: z.string().max(URL_MAX_CHARS).optional(),
    transport: z.discriminatedUnion("type", [
      z
        .object({
          type: z.literal("stdio"),
          command: z.string().min(1),
          args: z.array(z.coerce.string()).default([]),
          /** Fixed, non-secret variables for the server process (Hermes: never credentials). */
          env: z.record(z.string().regex(ENV_VAR_NAME_PATTERN), z.string()).default({}),
          /** Informational pin. */
          version: z.string().optional(),
        })
        .strict(),
      z.object({ type: z.literal("http"), url: httpUrl, version: z.string().optional() }).strict(),
    ]),
    auth: z
      .object({
        type: z.enum(["none", "api_key", "oauth"]),
        env: z
          .array(
            z
              .object({
                name: z.string().regex(ENV_VAR_NAME_PATTERN),
                prompt: z.string().min(1).max(100),
                required: z.boolean().default(true),
                secret: z.boolean().default(true),
                /** Offered when the user gives no value (Hermes prompts with it as the default). */
                default: z.coerce.string().optional(),
                /** The variable the server process reads, when it differs from `name` (stdio only). */
                server_env: z.string().regex(ENV_VAR_NAME_PATTERN).optional(),
              })
              .strict(),
          )
          .default([]),
        /** Provider-mediated OAuth (`hermes auth <provider>`), Hermes' "case 2". */
        provider: z.string().optional(),
        scopes: z.array(z.string()).optional(),
        env_var: z.string().optional(),
      })
      .strict()
      .default({ type: "none", env: [] }),
    /** The tools enabled when Hermes cannot ask the server: written as mcp_servers.<name>.tools.include. */
    tools: z
      .object({
        default_enabled: z
          .array(z.string().min(1).max(MCP_TOOL_NAME_MAX_CHARS))
          .max(MCP_TOOLS_MAX)
          .optional(),
      })
      .strict()
      .optional(),
    /**
     * A repository Hermes clones and bootstraps before the server can run (`hermes mcp install`).
     * The bot does not run such steps from a chat; entries with one are not offered in the wizard.
     */
    install: z
      .object({
        type: z.literal("git"),
        url: z.string().min(1),
        ref: z.string().min(1),
        bootstrap: z.array(z.string()).default([]),
      })
      .strict()
      .optional(),
    /** Notes Hermes prints after installing it; the create report shows them on one line. */
    post_install: z.string().optional(),
    suggest: z
      .object({ keywords: z.array(z.string()).default([]) })
      .strict()
      .optional(),
  })
  .strict();

export type McpManifest = z.infer<typeof mcpManifestSchema>;

export interface SkillInfo {
  /** `category/name`, unique within its tab. */
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly description: string;
  /**
   * The environment variables its SKILL.md declares (read as Hermes reads them); absent or empty:
   * none. Names only: a skill's own prompt text is outside text and is not shown in chat.
   */
  readonly env?: readonly SkillEnvVar[];
}

/** One variable a skill declares; `optional` ones do not hold the skill back in Hermes. */
export interface SkillEnvVar {
  readonly name: string;
  readonly optional: boolean;
}

export interface PersonaSummary {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly description: string;
  /** `<provider>/<model id>` the persona suggests. */
  readonly defaultModel: string;
  readonly suggestedMcps: readonly string[];
  /** Hermes toolsets the persona works best with (its `suggested_toolsets`); the wizard offers, never applies unasked. */
  readonly suggestedToolsets: readonly string[];
  readonly aliases: readonly string[];
}

export interface Catalog {
  readonly providers: readonly ProviderInfo[];
  readonly builtinSkills: readonly SkillInfo[];
  readonly optionalSkills: readonly SkillInfo[];
  readonly mcps: readonly McpManifest[];
  readonly personas: readonly PersonaSummary[];
  /** Hermes' toolsets and the platforms it resolves them for. */
  readonly toolsets: ToolsetCatalog;
}

export function findProvider(catalog: Catalog, slug: string): ProviderInfo | undefined {
  return (
    catalog.providers.find((provider) => provider.slug === slug) ??
    catalog.providers.find((provider) => provider.aliases?.includes(slug))
  );
}

/** The provider id Hermes reads in config.yaml's model.provider. */
export function hermesProviderId(provider: ProviderInfo): string {
  return provider.hermes_provider ?? provider.slug;
}
