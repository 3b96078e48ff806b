// Runs the table's persona and profile commands for any surface and returns a platform-free Reply.
// Wizard and install commands are the adapters' own (they drive the runner directly).
import { usage, type OptionDef, type ParsedCommand } from "../../../commands/index.ts";
import type { ProfileService } from "../profile/profile-service.ts";
import { refusal, type Reply } from "../../core/reply.ts";
import type { PersonaService } from "../persona/persona-service.ts";
import type { CommandContext } from "../ports/command-context.ts";
import { OPEN_ACCESS, type AccessPolicy } from "../ports/command-context.ts";

/** The longest a suggestion waits for a host's profile listing (Discord's limit for the answer is 3 s). */
export const SUGGEST_LISTING_WAIT_MS = 1_000;

export class CommandRouter {
  constructor(
    private readonly personas: PersonaService,
    private readonly access: AccessPolicy = OPEN_ACCESS,
    private readonly profiles?: ProfileService,
  ) {}

  /**
   * Suggestions for an option while it is typed (Discord autocomplete): at most `limit`, from
   * memory (personas, categories) or the profile names listed at most once per TTL.
   */
  async suggest(
    source: NonNullable<OptionDef["autocomplete"]>,
    query: string,
    limit: number,
  ): Promise<{ label: string; value: string }[]> {
    const typed = query.trim().toLowerCase();
    switch (source) {
      case "persona":
        return this.personas.library.search(typed, limit).map(({ meta }) => ({
          label: `${meta.glyph} ${meta.name} (${meta.id})`,
          value: meta.id,
        }));
      case "category":
        return this.personas.library
          .categories()
          .filter(({ category }) => category.startsWith(typed))
          .slice(0, limit)
          .map(({ category, count }) => ({ label: `${category} (${count})`, value: category }));
      case "profile": {
        // Discord drops an autocomplete answered after 3 s: a slow host's listing is not waited for
        // past this, the names known so far are suggested instead.
        const names = (await this.profiles?.names.within(SUGGEST_LISTING_WAIT_MS))?.names ?? [];
        const starting = names.filter((name) => name.startsWith(typed));
        const containing = names.filter((name) => !name.startsWith(typed) && name.includes(typed));
        return [...starting, ...containing].slice(0, limit).map((name) => ({ label: name, value: name }));
      }
    }
  }

  /** Undefined when the command is not one this router handles. */
  async run(command: ParsedCommand, ctx: CommandContext): Promise<Reply | undefined> {
    const { entry, args } = command;
    if (!this.access.mayUse(ctx)) {
      return refusal(
        `You are not allowed to use this bot. Ask an admin to add your id (${ctx.actor.id}) to the allowlist.`,
      );
    }
    if (entry.admin && !this.access.isAdmin(ctx)) return refusal(`Only admins can run ${usage(entry)}.`);
    // Surfaces with named options (Discord) pass "" for an optional one left out before a later one.
    const required = entry.options.filter((option) => option.required).length;
    if (args.length < required || args.slice(0, required).some((arg) => arg === ""))
      return refusal(`Usage: ${usage(entry)}`);
    if (args.length > entry.options.length) return refusal(`Too many words. Usage: ${usage(entry)}`);
    const [first, second, third] = args.map((arg) => (arg === "" ? undefined : arg));
    switch (entry.intent) {
      case "persona.list":
        return this.personas.list(first);
      case "persona.categories":
        return this.personas.categories();
      case "persona.get":
        return this.personas.show(first ?? "");
      case "persona.apply":
        return this.personas.apply(ctx, first ?? "", second, third);
      case "persona.status":
        return this.personas.status(ctx, first);
      case "persona.sync":
        return this.personas.sync(ctx, first);
      case "persona.clear":
        return this.personas.clear(ctx, first);
      case "persona.plugin":
        return this.personas.plugin(ctx, first ?? "", second, third);
      case "persona.reload":
        return this.personas.reload();
      case "profile.use":
        return this.profiles?.use(ctx, first ?? "");
      case "profile.list":
        return this.profiles?.list();
      case "profile.show":
        return this.profiles?.show(first ?? "");
      case "profile.keys":
        return this.profiles?.keys(first ?? "");
      case "profile.delete":
        return this.profiles?.delete(ctx.actor, first ?? "");
      default:
        return undefined;
    }
  }
}
