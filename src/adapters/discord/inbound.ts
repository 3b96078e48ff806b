// Slash-command interactions as the command table's ParsedCommand, and option suggestions for
// autocomplete. Named options become positional arguments in the table's order ("" for an
// optional one left out before a later one).
import type { AutocompleteInteraction, ChatInputCommandInteraction, User } from "discord.js";
import { commandEntries, helpLines, type ParsedCommand } from "../../../commands/index.ts";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { Actor } from "../../core/wizard/index.ts";
import { clip, DISCORD_AUTOCOMPLETE_CHOICES_MAX, DISCORD_CHOICE_MAX_CHARS } from "./limits.ts";

function entryFor(interaction: ChatInputCommandInteraction | AutocompleteInteraction) {
  const sub = interaction.options.getSubcommand(false);
  const path = sub ? `${interaction.commandName} ${sub}` : interaction.commandName;
  return commandEntries().find((entry) => entry.path === path);
}

export function parseInteractionCommand(interaction: ChatInputCommandInteraction): ParsedCommand | undefined {
  const entry = entryFor(interaction);
  if (!entry) return undefined;
  const args = entry.options.map((option) => interaction.options.getString(option.name)?.trim() ?? "");
  while (args.length > 0 && args[args.length - 1] === "") args.pop();
  return { entry, args };
}

export async function suggestionsFor(
  interaction: AutocompleteInteraction,
  runtime: Pick<ChatRuntime, "suggest">,
): Promise<{ name: string; value: string }[]> {
  const focused = interaction.options.getFocused(true);
  const option = entryFor(interaction)?.options.find((candidate) => candidate.name === focused.name);
  if (!option?.autocomplete) return [];
  const suggestions = await runtime.suggest(
    option.autocomplete,
    String(focused.value).slice(0, DISCORD_CHOICE_MAX_CHARS),
    DISCORD_AUTOCOMPLETE_CHOICES_MAX,
  );
  return suggestions
    .filter((suggestion) => suggestion.value.length <= DISCORD_CHOICE_MAX_CHARS)
    .map((suggestion) => ({
      name: clip(suggestion.label, DISCORD_CHOICE_MAX_CHARS),
      value: suggestion.value,
    }));
}

export function helpText(): string {
  return ["Commands:", ...helpLines()].join("\n");
}

export function discordActor(user: User): Actor {
  return { id: `dc:${user.id}`, name: user.globalName ?? user.username };
}
