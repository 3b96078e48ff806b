// The profile blueprint: what the wizard assembles and what `blueprint create --from` reads.
// Keys follow Hermes' create API (snake_case), as the README's "Creating from a file" shows.
import { z } from "zod";
import {
  DESCRIPTION_MAX_CHARS,
  DISPLAY_NAME_MAX_CHARS,
  ENV_VAR_NAME_PATTERN,
  HUB_IDENTIFIER_MAX_CHARS,
  HUB_SKILLS_MAX,
  MCP_ARG_MAX_CHARS,
  MCP_TOOL_NAME_MAX_CHARS,
  MCP_TOOLS_MAX,
  MCP_ARGS_MAX,
  MCP_SERVER_NAME_PATTERN,
  MCP_SERVERS_MAX,
  MODEL_ID_MAX_CHARS,
  PROVIDER_SLUG_PATTERN,
  SOUL_MAX_CHARS,
  URL_MAX_CHARS,
} from "./limits.ts";
import { describe as describeProblem } from "./messages.ts";
import { CONTEXT_LENGTH_MAX } from "./model-fit.ts";
import { isHubIdentifier, shownIdentifier } from "./hub-identifier.ts";
import { checkProfileName } from "./profile-name.ts";
import type { Problem } from "./messages.ts";
import { hasDisallowedChars } from "./text-rules.ts";
import { urlSecret } from "./url-secrets.ts";
import { TOOLSET_NAME_PATTERN, TOOLSET_PLATFORMS_MAX, TOOLSETS_MAX } from "./toolsets.ts";
import { pluginListSchema } from "./hermes-plugins.ts";
import { commongroundSectionSchema } from "./commonground/cg-section.ts";

/** The Hermes root (HERMES_HOME itself) is the profile called `default`. */
export const DEFAULT_PROFILE = "default";

/** A reference to an environment variable, the only way a secret may appear in a blueprint. */
export const ENV_REFERENCE_PATTERN = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;
/** Env keys that name a secret: their values must be `${VAR}` references, never literals. */
const SECRET_LOOKING_KEY = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

function customIssue(ctx: z.RefinementCtx, problem: Problem): void {
  ctx.addIssue({ code: "custom", message: describeProblem(problem) });
}

const profileName = z.string().transform((raw, ctx) => {
  const checked = checkProfileName(raw);
  if (!checked.ok) {
    customIssue(ctx, checked.error);
    return z.NEVER;
  }
  return checked.value.name;
});

/** A clone source is any profile name, or `default` (the Hermes root profile itself). */
const cloneSource = z.string().transform((raw, ctx) => {
  if (raw.trim().toLowerCase() === DEFAULT_PROFILE) return DEFAULT_PROFILE;
  const checked = checkProfileName(raw);
  if (!checked.ok) {
    customIssue(ctx, checked.error);
    return z.NEVER;
  }
  return checked.value.name;
});

const plainText = (max: number, code: "display_name_too_long" | "description_too_long" | "text_too_long") =>
  z.string().transform((raw, ctx) => {
    const text = raw.trim();
    if (text.length > max) customIssue(ctx, { code, params: { length: text.length, max } });
    else if (hasDisallowedChars(text)) customIssue(ctx, { code: "text_control_chars" });
    return text;
  });

/** An http(s) URL that is written into config.yaml, so it may carry no secret (url-secrets.ts). */
const httpUrl = z
  .string()
  .max(URL_MAX_CHARS)
  .regex(/^https?:\/\/[^\s]+$/, "must be an http(s) URL such as https://mcp.example.com/mcp")
  .superRefine((url, ctx) => {
    const secret = urlSecret(url);
    if (secret) customIssue(ctx, { code: "url_secret", params: { what: secret } });
  });

export const hubIdentifierSchema = z
  .string()
  .max(HUB_IDENTIFIER_MAX_CHARS, `at most ${HUB_IDENTIFIER_MAX_CHARS} characters`)
  .superRefine((id, ctx) => {
    if (!isHubIdentifier(id))
      customIssue(ctx, {
        code: "hub_identifier_invalid",
        params: { identifier: shownIdentifier(id) },
      });
  });

/** SOUL.md text: Windows line ends become \n; other control and invisible direction marks are refused. */
const soulText = z
  .string()
  .max(SOUL_MAX_CHARS)
  .transform((raw, ctx) => {
    const text = raw.replace(/\r\n?/g, "\n");
    if (hasDisallowedChars(text)) {
      customIssue(ctx, { code: "text_control_chars" });
      return z.NEVER;
    }
    return text;
  });

export const mcpServerSchema = z
  .object({
    name: z.string().regex(MCP_SERVER_NAME_PATTERN, describeProblem({ code: "mcp_name_invalid" })),
    url: httpUrl.optional(),
    command: z
      .string()
      .min(1)
      .max(MCP_ARG_MAX_CHARS)
      .refine((command) => !/\s/.test(command) && !hasDisallowedChars(command), {
        message: "a command is one program name or path; put its arguments in args",
      })
      .optional(),
    args: z.array(z.string().max(MCP_ARG_MAX_CHARS)).max(MCP_ARGS_MAX).optional(),
    env: z
      .record(z.string().regex(ENV_VAR_NAME_PATTERN, "env keys are UPPER_SNAKE_CASE"), z.string())
      .optional(),
    auth: z.enum(["none", "api_key", "oauth"]).default("none"),
    /** Hermes' tool filter: only these tools of the server are enabled (mcp_servers.<name>.tools.include). */
    tools: z
      .object({ include: z.array(z.string().min(1).max(MCP_TOOL_NAME_MAX_CHARS)).max(MCP_TOOLS_MAX) })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((server, ctx) => {
    const hasUrl = server.url !== undefined;
    const hasCommand = server.command !== undefined;
    if (hasUrl === hasCommand) {
      ctx.addIssue({
        code: "custom",
        message: "give exactly one of url (HTTP server) or command (stdio server)",
      });
    }
    if (hasUrl && (server.args !== undefined || server.env !== undefined)) {
      ctx.addIssue({ code: "custom", message: "args and env apply only to a command (stdio) server" });
    }
    for (const [key, value] of Object.entries(server.env ?? {})) {
      if (SECRET_LOOKING_KEY.test(key) && !ENV_REFERENCE_PATTERN.test(value)) {
        ctx.addIssue({
          code: "custom",
          path: ["env", key],
          message: `secret values are written by reference only: use "\${${key}}" and put the value in the environment or .env`,
        });
      }
    }
  });

const toolsetList = z
  .array(z.string().regex(TOOLSET_NAME_PATTERN, "a toolset name such as web or terminal"))
  .max(TOOLSETS_MAX);

export const blueprintSchema = z
  .object({
    name: profileName,
    display_name: plainText(DISPLAY_NAME_MAX_CHARS, "display_name_too_long").nullish(),
    description: plainText(DESCRIPTION_MAX_CHARS, "description_too_long").nullish(),
    clone_from: cloneSource.nullish(),
    model: z
      .object({
        provider: z.string().regex(PROVIDER_SLUG_PATTERN, "a provider slug such as openrouter"),
        model: z
          .string()
          .min(1)
          .max(MODEL_ID_MAX_CHARS)
          .refine((id) => !/\s/.test(id) && !hasDisallowedChars(id), {
            message: describeProblem({ code: "model_invalid" }),
          }),
        base_url: httpUrl.nullish(),
        /** The model's context window in tokens: written to config.yaml model.context_length, which Hermes reads first. */
        context_length: z.number().int().positive().max(CONTEXT_LENGTH_MAX).nullish(),
      })
      .strict()
      // No model: the profile runs on whatever Hermes would pick (as `hermes profile create` leaves it).
      .nullish(),
    skills: z
      .object({
        builtin: z
          .union([z.literal("default"), z.literal("none"), z.array(z.string().min(1).max(128))])
          .default("default"),
        optional: z.array(z.string().min(1).max(128)).default([]),
        hub: z.array(hubIdentifierSchema).max(HUB_SKILLS_MAX).default([]),
      })
      .strict()
      .default({ builtin: "default", optional: [], hub: [] }),
    mcp_servers: z.array(mcpServerSchema).max(MCP_SERVERS_MAX).default([]),
    persona: z
      .object({
        id: z.string().min(1).max(128),
        mode: z
          .string()
          .default("overlay")
          .transform((mode, ctx) => {
            if (mode === "overlay" || mode === "delegate") return mode;
            customIssue(ctx, { code: "persona_mode_invalid", params: { mode } });
            return z.NEVER;
          }),
      })
      .strict()
      .nullish(),
    soul: soulText.nullish(),
    /**
     * Hermes toolsets: one list for every platform, or lists by platform (`default` for the
     * platforms not named). Left out: Hermes' own defaults (the shell included).
     */
    toolsets: z
      .union([
        toolsetList,
        z
          .record(z.string().regex(TOOLSET_NAME_PATTERN, "a platform name such as telegram"), toolsetList)
          .refine((byPlatform) => Object.keys(byPlatform).length <= TOOLSET_PLATFORMS_MAX, {
            message: `at most ${TOOLSET_PLATFORMS_MAX} platforms`,
          }),
      ])
      .nullish(),
    /** Hermes plugins this project ships (hermes-plugins.ts), installed into the profile and enabled. */
    plugins: pluginListSchema.default([]),
    /** What a CommonGround profile has and Hermes does not (commonground/cg-section.ts); Hermes never reads it. */
    commonground: commongroundSectionSchema.nullish(),
  })
  .strict()
  .superRefine((blueprint, ctx) => {
    if (blueprint.clone_from && blueprint.skills.builtin === "none") {
      ctx.addIssue({
        code: "custom",
        path: ["skills", "builtin"],
        message: describeProblem({ code: "clone_excludes_no_skills" }),
      });
    }
    const seen = new Set<string>();
    blueprint.mcp_servers.forEach((server, index) => {
      if (seen.has(server.name)) {
        ctx.addIssue({
          code: "custom",
          path: ["mcp_servers", index, "name"],
          message: describeProblem({ code: "mcp_name_duplicate", params: { name: server.name } }),
        });
      }
      seen.add(server.name);
    });
  });

export type Blueprint = z.output<typeof blueprintSchema>;
export type BlueprintInput = z.input<typeof blueprintSchema>;
export type McpServerSpec = z.output<typeof mcpServerSchema>;
export type PersonaMode = "overlay" | "delegate";
