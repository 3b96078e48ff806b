// The environment every Hermes subprocess the bot starts gets: the installer, `hermes skills
// search`, the discovery probe, doctor's `--version`. The bot's own credentials stay with the bot:
// its platform tokens (a Hermes that finds TELEGRAM_BOT_TOKEN may start polling it — one token
// polled twice breaks both), and the dashboard tokens it holds for Hermes hosts. None of these
// subprocesses needs them, and a skill's scripts or a hub source could read and send anything
// they are given.
import { isPlatformEnvKey } from "../profile/env-file.ts";

/** The bot's tokens for Hermes hosts: HERMES_TOKEN, HERMES_TOKEN_<NAME>, and Hermes' own session token. */
const DASHBOARD_TOKEN_KEY = /^(HERMES_TOKEN(_.+)?|HERMES_DASHBOARD_SESSION_TOKEN)$/;

/** Whether a variable holds one of the bot's credentials that no Hermes subprocess is given. */
export function isBotCredentialKey(key: string): boolean {
  return isPlatformEnvKey(key) || DASHBOARD_TOKEN_KEY.test(key);
}

/** `base` without the bot's credentials: pass it with `extendEnv: false`. */
export function hermesChildEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(base).filter(([key]) => !isBotCredentialKey(key)));
}
