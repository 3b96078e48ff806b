// The command table (commands/) as Discord application commands: one top-level command per
// table entry, subcommands beneath, string options with autocomplete or fixed choices. The
// SlashCommandBuilder checks names, descriptions and option order; the 8,000-character total per
// command is checked here, because the builder does not.
import {
  ApplicationIntegrationType,
  InteractionContextType,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type SlashCommandSubcommandBuilder,
} from "discord.js";
import { COMMANDS, type OptionDef } from "../../../commands/index.ts";
import {
  clip,
  DISCORD_COMMAND_DESCRIPTION_MAX_CHARS,
  DISCORD_COMMAND_OPTIONS_MAX,
  DISCORD_COMMAND_TOTAL_CHARS_MAX,
} from "./limits.ts";

export type CommandJson = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Where the commands may be used: servers the bot is in, and DMs with the bot (no private channels). */
export const COMMAND_CONTEXTS = [InteractionContextType.Guild, InteractionContextType.BotDM];
/** How the app may be installed for them: into a server only (no user install). */
export const COMMAND_INTEGRATION_TYPES = [ApplicationIntegrationType.GuildInstall];

function addOptions(host: SlashCommandSubcommandBuilder, options: readonly OptionDef[]): void {
  for (const option of options) {
    host.addStringOption((built) => {
      built
        .setName(option.name)
        .setDescription(clip(option.description, DISCORD_COMMAND_DESCRIPTION_MAX_CHARS))
        .setRequired(option.required);
      if (option.choices)
        built.addChoices(...option.choices.map((choice) => ({ name: choice, value: choice })));
      else if (option.autocomplete) built.setAutocomplete(true);
      return built;
    });
  }
}

export function discordCommands(): CommandJson[] {
  return COMMANDS.map((command) => {
    const builder = new SlashCommandBuilder()
      .setName(command.name)
      .setDescription(clip(command.description, DISCORD_COMMAND_DESCRIPTION_MAX_CHARS))
      // Only where the bot itself is: servers it was invited to, and DMs with it. A user-installed
      // copy (integration type 1) would run in group DMs and servers without the bot, where it can
      // neither post status messages nor check roles.
      .setContexts(COMMAND_CONTEXTS)
      .setIntegrationTypes(COMMAND_INTEGRATION_TYPES);
    for (const sub of command.subcommands ?? []) {
      builder.addSubcommand((built) => {
        built.setName(sub.name).setDescription(clip(sub.description, DISCORD_COMMAND_DESCRIPTION_MAX_CHARS));
        addOptions(built, sub.options ?? []);
        return built;
      });
    }
    const json = builder.toJSON();
    const problems = commandLimitProblems(json);
    if (problems.length > 0)
      throw new Error(`bug: /${command.name} breaks Discord's limits: ${problems.join("; ")}`);
    return json;
  });
}

interface Countable {
  readonly name: string;
  readonly description?: string | undefined;
  readonly choices?: readonly { readonly name: string; readonly value: string | number }[] | undefined;
  readonly options?: readonly Countable[] | undefined;
}

/** Discord counts every name, description, choice name and value of a command towards 8,000. */
export function commandCharacters(node: Countable): number {
  return (
    node.name.length +
    (node.description?.length ?? 0) +
    (node.choices ?? []).reduce((sum, choice) => sum + choice.name.length + String(choice.value).length, 0) +
    (node.options ?? []).reduce((sum, child) => sum + commandCharacters(child), 0)
  );
}

export function commandLimitProblems(json: Countable): string[] {
  const problems: string[] = [];
  const total = commandCharacters(json);
  if (total > DISCORD_COMMAND_TOTAL_CHARS_MAX)
    problems.push(`${total} characters (max ${DISCORD_COMMAND_TOTAL_CHARS_MAX})`);
  const visit = (node: Countable, where: string): void => {
    const count = node.options?.length ?? 0;
    if (count > DISCORD_COMMAND_OPTIONS_MAX) problems.push(`${where}: ${count} options`);
    for (const child of node.options ?? []) visit(child, `${where} ${child.name}`);
  };
  visit(json, `/${json.name}`);
  return problems;
}
