// `blueprint register [--guild <id>]`: one bulk overwrite of the application commands from the
// command table, after printing what it changes. Guild commands update at once (development);
// global ones are what every server sees (Discord may take a while to show them everywhere).
import { DiscordAPIError, REST, Routes } from "discord.js";
import { commandDrift, driftLines, hasDrift, type CommandDrift } from "./command-drift.ts";
import { discordCommands } from "./command-json.ts";

export interface RegisterOptions {
  readonly token: string;
  readonly applicationId: string;
  readonly apiRoot?: string;
  readonly guildId?: string;
}

export type RegisterResult =
  { readonly ok: true; readonly drift: CommandDrift } | { readonly ok: false; readonly message: string };

function restFor(options: Pick<RegisterOptions, "token" | "apiRoot">): REST {
  return new REST(options.apiRoot ? { api: options.apiRoot } : {}).setToken(options.token);
}

function routeFor(options: RegisterOptions): `/${string}` {
  return options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
}

/** The registered commands against the table, without changing anything (also for `doctor`). */
export async function registeredDrift(options: RegisterOptions): Promise<RegisterResult> {
  try {
    const current = (await restFor(options).get(routeFor(options))) as object[];
    return { ok: true, drift: commandDrift(current, discordCommands()) };
  } catch (error) {
    return { ok: false, message: explain(error) };
  }
}

export async function registerCommands(
  options: RegisterOptions,
  print: (line: string) => void,
): Promise<RegisterResult> {
  const scope = options.guildId ? `guild ${options.guildId}` : "global";
  const before = await registeredDrift(options);
  if (!before.ok) return before;
  for (const line of driftLines(before.drift)) print(line);
  if (!hasDrift(before.drift)) {
    print(`Nothing to change: the ${scope} commands already match the table.`);
    return before;
  }
  try {
    await restFor(options).put(routeFor(options), { body: discordCommands() });
  } catch (error) {
    return { ok: false, message: explain(error) };
  }
  const { added, changed, removed } = before.drift;
  print(
    `Registered ${discordCommands().length} ${scope} commands: ${added.length} new, ${changed.length} changed, ${removed.length} removed.`,
  );
  return before;
}

function explain(error: unknown): string {
  if (error instanceof DiscordAPIError) {
    if (error.status === 401) return "Discord refused the token (401): check DISCORD_TOKEN.";
    if (error.status === 403 || error.status === 404)
      return `Discord answered ${error.status} (${error.message}): check DISCORD_APPLICATION_ID, and for --guild that the bot was invited to that server with the applications.commands scope.`;
    return `Discord refused the commands (${error.status}, code ${String(error.code)}): ${error.message}`;
  }
  return `Could not reach Discord: ${(error as Error).message}`;
}
