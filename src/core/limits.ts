// Every limit the core enforces, named once: platform limits (Telegram's and Discord's documented
// ones), profile rules as Hermes 0.19 applies them (HERMES-COMPAT.md records what was checked).

/** Hermes profile name rule, applied after trimming and lower-casing. */
export const PROFILE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const PROFILE_NAME_MAX_CHARS = 64;
/** Hermes refuses these names outright. */
export const RESERVED_PROFILE_NAMES: readonly string[] = ["hermes", "default", "test", "tmp", "root", "sudo"];
/** Hermes subcommands: allowed as names, but such a profile cannot get a shell alias. */
export const HERMES_SUBCOMMAND_NAMES: readonly string[] = [
  "chat",
  "model",
  "gateway",
  "setup",
  "skills",
  "tools",
  "mcp",
  "sessions",
  "config",
  "profile",
  "plugins",
  "doctor",
  "update",
  "status",
  "version",
  "cron",
  "memory",
  "auth",
];

/** Our cap for profile.yaml's display_name (a key of ours: Hermes 0.19 has none; it keeps unknown keys). */
export const DISPLAY_NAME_MAX_CHARS = 64;
/** Our cap for profile.yaml's description: fits one Discord modal field and one chat message. */
export const DESCRIPTION_MAX_CHARS = 1000;
/** SOUL.md written from a blueprint; Hermes re-reads it every message, so keep it modest. */
export const SOUL_MAX_CHARS = 20_000;

/** Telegram's callback_data limit (bytes). Discord allows 100 characters, so 64 bytes fits both. */
export const BUTTON_TOKEN_MAX_BYTES = 64;
/** Items per page of any list: short enough for a Telegram keyboard, well under Discord's 25 select options. */
export const LIST_PAGE_SIZE = 8;

export const MODEL_ID_MAX_CHARS = 200;
export const PROVIDER_SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const URL_MAX_CHARS = 2048;
/** Models reported by a local server beyond this count are cut (the list still pages). */
export const MODEL_LIST_MAX = 200;

/** Hub identifiers: `official/<cat>/<name>`, `<owner>/<repo>/<path>`, `skills-sh/...`, `well-known:<url>`, https URLs. */
export const HUB_IDENTIFIER_MAX_CHARS = 256;
export const HUB_SKILLS_MAX = 20;

/** An MCP catalog description: Hermes sets no bound; ours keeps a screen readable (adapters clip further). */
export const MCP_DESCRIPTION_MAX_CHARS = 1000;
export const MCP_SERVER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MCP_SERVERS_MAX = 25;
export const MCP_ARG_MAX_CHARS = 1024;
export const MCP_ARGS_MAX = 32;
/** A tool filter (tools.include) lists at most this many tool names, each at most this long. */
export const MCP_TOOLS_MAX = 256;
export const MCP_TOOL_NAME_MAX_CHARS = 128;
export const ENV_VAR_NAME_PATTERN = /^[A-Z_][A-Z0-9_]{0,127}$/;

/** Free text typed into any wizard prompt is cut off here before anything else looks at it. */
export const TEXT_INPUT_MAX_CHARS = 4000;
/** A secret longer than this is not an API key. */
export const SECRET_MAX_CHARS = 4096;
/** A profile's .env larger than this is neither edited nor read for `key` commands (it is not a .env). */
export const ENV_FILE_MAX_BYTES = 1024 * 1024;
/** SKILL.md files read for the keys a profile's skills declare; more are left out, and said so. */
export const KEY_SKILL_FILES_MAX = 1000;
/** A SKILL.md larger than this is not read for the keys it declares. */
export const KEY_SKILL_FILE_MAX_BYTES = 256 * 1024;
