// The one table of user-facing wording, keyed by code, so every surface words a failure the same way. Every message says what went
// wrong and what to do next. Templates fill `{param}` from Problem.params; params never hold secrets.
export const MESSAGES = {
  name_empty: "A profile name is needed. Send a short name such as research-bot.",
  name_too_long: "That name has {length} characters; the limit is {max}. Send a shorter one.",
  name_path: "A profile name cannot contain '/', '\\' or '..'. Send a plain name such as research-bot.",
  name_hidden: "A profile name cannot start with '.' or another symbol. Start it with a letter or digit.",
  name_invalid:
    "'{name}' is not a valid profile name. Use lowercase letters, digits, '-' and '_', starting with a letter or digit (at most 64).",
  name_reserved: "'{name}' is reserved by Hermes. Pick another name, for example {name}-agent.",
  name_exists: "A profile named '{name}' already exists. Pick another name, or clone it instead.",
  name_shadows_command:
    "Note: '{name}' is also a Hermes command, so this profile cannot get a shell alias. Pick another name if you want one.",
  display_name_too_long: "The display name has {length} characters; the limit is {max}. Send a shorter one.",
  description_too_long:
    "The description has {length} characters; the limit is {max}. Shorten it and send it again.",
  text_too_long: "That text has {length} characters; the limit is {max}.",
  text_control_chars: "That text contains control or invisible direction characters. Send plain text.",
  clone_source_missing:
    "There is no profile named '{name}' to clone. Pick one from the list, or choose No clone.",
  clone_excludes_no_skills:
    "A clone copies the source's skills, so 'no built-in skills' cannot be combined with a clone. Remove one of them.",
  provider_unknown: "'{provider}' is not a provider this bot knows. Pick one from the list.",
  model_empty: "A model id is needed, such as anthropic/claude-sonnet-4. Pick one or type it.",
  model_too_long: "That model id is too long (limit {max} characters).",
  model_invalid: "A model id has no spaces or control characters, for example anthropic/claude-sonnet-4.",
  base_url_invalid:
    "'{url}' is not an http(s) URL. Send one like http://127.0.0.1:11434, or press Use default.",
  base_url_required:
    "Provider '{provider}' needs a server address (base URL). Send one or press Use default.",
  models_unreachable: "Could not list models from {url} ({reason}); showing the offline list instead.",
  skill_unknown: "'{name}' is not a {kind} skill this bot ships. Check the name against the list.",
  hub_identifier_invalid:
    "'{identifier}' is not a hub skill identifier. Use official/<category>/<name>, <owner>/<repo>/<path>, skills-sh/<…>, or an https:// URL on a public host name (no '..', no IP address, no user:password@).",
  hub_too_many: "At most {max} hub skills per profile.",
  hub_search_empty: "Send a word or two to search the hub for, such as docker or release notes.",
  mcp_name_invalid: "An MCP server name uses letters, digits, '-' and '_' only (at most 64). Send another.",
  mcp_name_duplicate: "An MCP server named '{name}' is already in this profile. Pick another name.",
  mcp_target_invalid:
    "Send either an http(s) URL (for an HTTP server) or a command line such as: npx -y @scope/server (for a local one).",
  url_secret:
    "That URL carries a secret ({what}), and URLs are written into config.yaml, which is not a secret file. Send it without the secret: an MCP server's key is asked privately next (choose API key) and sent as a header from the profile's .env.",
  mcp_unknown: "'{name}' is not in the MCP catalog. Pick one from the list, or add it as a custom server.",
  mcp_too_many: "At most {max} MCP servers per profile.",
  secret_too_long: "That does not look like a key (over {max} characters). Send the key itself.",
  secret_invalid: "A key is one line of visible characters without spaces. Send it again, or press Skip.",
  secret_empty: "Nothing was received. Send the key, or press Skip to leave it empty in .env.",
  persona_unknown: "There is no persona '{id}' in the library. Pick one from the list, or skip this step.",
  persona_mode_invalid:
    "'{mode}' is not a persona mode. Use overlay (the default: Hermes' own personality, made active) or delegate (a context block to paste; no file changes). 'ref' is gone: Hermes has no persona reference key and ignored it.",
  token_malformed: "That button does not belong to this bot's wizard. Start again with /profile new.",
  token_too_long: "That button token is longer than {max} bytes and was ignored.",
  token_stale: "This step changed since that button was shown. Here is the current one.",
  not_owner: "Only {owner} can press these buttons. Start your own with /profile new.",
  session_missing: "That wizard has ended or expired. Start a new one with /profile new.",
  input_unexpected: "This step is waiting for a button press, not text. Pick one of the buttons.",
  action_unknown: "That button does nothing on this step. Here is the current one.",
  create_in_progress: "The profile is already being created. Wait for the report.",
  apply_in_progress: "The changes are already being applied. Wait for the report.",
  create_failed: "Creating the profile failed: {reason}. Nothing was written; fix it and press Create again.",
  blueprint_invalid: "{path}: {reason}",
  blueprint_not_yaml: "The file is not valid YAML: {reason}. Fix the syntax and run the command again.",
  blueprint_not_mapping: "The file must hold one YAML mapping (name:, model:, ...), not a {kind}.",
  blueprint_too_large:
    "The file is {size} bytes; a blueprint is at most {max} bytes. Is this the right file?",
  blueprint_unreadable: "Could not read {file}: {reason}.",
  unknown_key: "'{key}' is not a blueprint key. Check the spelling against the README's blueprint example.",
  profiles_root_unwritable:
    "The profiles folder {path} cannot be written ({reason}). Check HERMES_HOME and its permissions.",
  restored:
    "The bot restarted. Your wizard continues here; secrets typed before the restart were not kept, so enter them again.",
} as const;

export type ErrorCode = keyof typeof MESSAGES;

/** An expected failure, as a code of this table and the values its wording fills in. */
export interface Problem {
  readonly code: ErrorCode;
  /** Where in the input the problem is, e.g. `mcp_servers[1].url` (blueprint files, forms). */
  readonly path?: string;
  /** Values the message template fills in (never a secret). */
  readonly params?: Readonly<Record<string, string | number>>;
}

/** The user-facing sentence for a problem, with its path first when it has one. */
export function describe(problem: Problem): string {
  const template: string = MESSAGES[problem.code];
  const text = template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = problem.params?.[key];
    return value === undefined ? whole : String(value);
  });
  return problem.path !== undefined && problem.code !== "blueprint_invalid"
    ? `${problem.path}: ${text}`
    : text;
}
