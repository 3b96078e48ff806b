// The shapes of Hermes 0.19's dashboard API as the client sends and reads them, checked against the
// pinned `hermes serve` (test/hermes-host/dashboard.test.ts). Answers are parsed loosely (a newer
// Hermes may add fields) but every field the bot reads is checked.
import { z } from "zod";

export const profileSchema = z
  .object({
    name: z.string(),
    is_default: z.boolean().optional(),
    model: z.string().nullable().optional(),
    provider: z.string().nullable().optional(),
    skill_count: z.number().optional(),
    description: z.string().nullable().optional(),
  })
  .loose();
export type DashboardProfile = z.infer<typeof profileSchema>;

export const listSchema = z.object({ profiles: z.array(z.unknown()) }).loose();

/** One MCP server of a create, as Hermes 0.19's MCPServerCreate takes it. */
export interface DashboardMcpServer {
  readonly name: string;
  readonly url?: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly auth?: "none" | "oauth" | "header";
}

/** Hermes 0.19's ProfileCreate (hermes_cli/web_server.py). */
export interface DashboardProfileCreate {
  readonly name: string;
  readonly description?: string;
  readonly clone_from?: string;
  readonly no_skills?: boolean;
  readonly provider?: string;
  readonly model?: string;
  readonly mcp_servers?: readonly DashboardMcpServer[];
  readonly keep_skills?: readonly string[];
  readonly hub_skills?: readonly string[];
}

export const createdSchema = z
  .object({
    ok: z.literal(true),
    name: z.string(),
    model_set: z.boolean().optional(),
    mcp_written: z.number().optional(),
    skills_disabled: z.number().optional(),
    hub_installs: z
      .array(z.object({ identifier: z.string(), pid: z.number().nullable().optional() }).loose())
      .default([]),
  })
  .loose();
/** What a create answers; Hermes' `path` (a folder on its machine) is left out on purpose. */
export type DashboardCreated = Omit<z.infer<typeof createdSchema>, "path">;

export const okSchema = z.object({ ok: z.literal(true) }).loose();

export const anyObjectSchema = z.object({}).loose();

export const actionStartedSchema = z
  .object({ ok: z.literal(true), name: z.string().min(1), pid: z.number().optional() })
  .loose();

export const actionStatusSchema = z
  .object({
    name: z.string(),
    running: z.boolean(),
    exit_code: z.number().nullable(),
    lines: z.array(z.string()),
  })
  .loose();
export const rawConfigSchema = z.object({ yaml: z.string() }).loose();

export const skillSchema = z
  .object({ name: z.string(), provenance: z.string().optional(), enabled: z.boolean().optional() })
  .loose();
/** One skill of a profile as GET /api/skills lists it (`provenance` "hub" = recorded in its lock.json). */
export type DashboardSkill = z.infer<typeof skillSchema>;

export const envEntrySchema = z.object({ is_set: z.boolean().optional() }).loose();

/** A background action of the dashboard (e.g. one hub install): running or not, its log's tail. */
export type DashboardActionStatus = z.infer<typeof actionStatusSchema>;

/** GET /api/profiles/{name}/soul: the text, and whether SOUL.md exists at all. */
export const soulSchema = z.object({ content: z.string(), exists: z.boolean().optional() }).loose();

/** GET /api/skills/content: a skill's SKILL.md text (its `path` on the host is not kept). */
export const skillContentSchema = z.object({ content: z.string() }).loose();

/** GET /api/skills without a profile: the skills of the dashboard's own profile, each with its provenance. */
export const ownSkillSchema = z
  .object({
    name: z.string(),
    description: z.string().nullish(),
    category: z.string().nullish(),
    provenance: z.string().optional(),
  })
  .loose();

/** One entry of GET /api/mcp/catalog (Hermes' optional-mcps manifests, flattened by its web_server). */
export const mcpCatalogEntrySchema = z
  .object({
    name: z.string(),
    description: z.string(),
    source: z.string().nullish(),
    transport: z.enum(["stdio", "http"]),
    auth_type: z.enum(["none", "api_key", "oauth"]),
    required_env: z
      .array(z.object({ name: z.string(), prompt: z.string(), required: z.boolean() }).loose())
      .default([]),
    command: z.string().nullish(),
    args: z.array(z.string()).default([]),
    url: z.string().nullish(),
    default_enabled: z.array(z.string()).nullish(),
    post_install: z.string().nullish(),
    needs_install: z.boolean().default(false),
  })
  .loose();
export type DashboardMcpCatalogEntry = z.infer<typeof mcpCatalogEntrySchema>;
