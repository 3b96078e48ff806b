// The command table as Telegram spells it, and the /start deep link that takes a key prompt into a
// private chat. Telegram command names cannot hold spaces, so `profile new` is `/profile_new` in
// the menu, in help and in every hint; the deep link's payload names the wizard session whose key
// the private chat will receive. Pure functions: the menu (set at start-up), the inbound handlers
// and the wizard screen all spell things the same way through here.
import { commandEntries } from "../../../commands/index.ts";
import { TELEGRAM_COMMAND_DESCRIPTION_MAX_CHARS } from "./limits.ts";

/** What a /start payload begins with when it carries a wizard session for a secret. */
export const DEEP_LINK_PREFIX = "s_";

/** The command table as Telegram's menu: `profile new` → `profile_new`. */
export function telegramCommands(): { command: string; description: string }[] {
  return commandEntries().map((entry) => ({
    command: entry.path.replace(" ", "_"),
    description: entry.description.slice(0, TELEGRAM_COMMAND_DESCRIPTION_MAX_CHARS),
  }));
}

/** A command as Telegram users type it: command names cannot hold spaces (`/profile_new`). */
export function telegramCommand(path: string): string {
  return `/${path.replace(" ", "_")}`;
}

/** The answer to /help: every command as typed here, with what it does. */
export function telegramHelp(): string {
  return commandEntries()
    .map((entry) => `${telegramCommand(entry.path)} — ${entry.description}`)
    .join("\n");
}

/** The link a group's wizard shows for a key: it opens a private chat with the bot on /start. */
export function secretDeepLink(botUsername: string, sessionId: string): string {
  return `https://t.me/${botUsername}?start=${DEEP_LINK_PREFIX}${sessionId}`;
}

/** The session a `/start s_<id>` message names, if the text is exactly such a message. */
export function deepLinkSession(text: string): string | undefined {
  return new RegExp(`^/start ${DEEP_LINK_PREFIX}([a-z0-9]{4,16})$`).exec(text)?.[1];
}
