// Texts and numbers Hermes 0.19.0 writes into a new profile, copied byte for byte so a profile made
// here is the one `hermes profile create` would make (HERMES-COMPAT.md lists what differs on purpose).

/** Hermes' own default identity text (SOUL.md): kept in the core, the wizard offers it. */
export { HERMES_DEFAULT_SOUL } from "../../core/hermes-soul.ts";

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
