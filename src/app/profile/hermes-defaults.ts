// Texts and numbers Hermes 0.19.0 writes into a new profile, copied byte for byte so a profile made
// here is the one `hermes profile create` would make (HERMES-COMPAT.md lists what differs on purpose).

/** `hermes_cli/default_soul.py` DEFAULT_SOUL_MD: no heading, no trailing newline. */
export const HERMES_DEFAULT_SOUL =
  "You are Hermes Agent, an intelligent AI assistant created by Nous Research. " +
  "You are helpful, knowledgeable, and direct. You assist users with a wide " +
  "range of tasks including answering questions, writing and editing code, " +
  "analyzing information, creative work, and executing actions via your tools. " +
  "You communicate clearly, admit uncertainty when appropriate, and prioritize " +
  "being genuinely useful over being verbose unless otherwise directed below. " +
  "Be targeted and efficient in your exploration and investigations.";

/** The `.no-bundled-skills` marker `hermes profile create --no-skills` writes. */
export const NO_BUNDLED_SKILLS_TEXT =
  "This profile opted out of bundled-skill seeding (`hermes profile create --no-skills`).\n" +
  "Delete this file to re-enable sync on the next `hermes update`.\n";

/**
 * `DEFAULT_CONFIG["_config_version"]` of Hermes 0.19.0. A config.yaml without it reads as version 0:
 * `hermes config check` then reports "update available" and Hermes' migrations rewrite the file.
 * Every key we write is already in the current schema, so a new config.yaml carries this version.
 */
export const HERMES_CONFIG_VERSION = 33;
