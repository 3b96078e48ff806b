// Runs the table's persona and profile commands for any surface and returns a platform-free Reply.
// Wizard and install commands are the adapters' own (they drive the runner directly).
import { usage, type ParsedCommand } from "../../commands/index.ts";
import { refusal, type Reply } from "../core/reply.ts";
import type { CommandContext, PersonaService } from "./persona/persona-service.ts";

/** Who may run commands on a surface; platform adapters fill it from their allowlists. */
export interface AccessPolicy {
  mayUse(ctx: CommandContext): boolean;
  isAdmin(ctx: CommandContext): boolean;
}

/** The console is the operator's own terminal: everything is allowed there. */
export const OPEN_ACCESS: AccessPolicy = { mayUse: () => true, isAdmin: () => true };

export class CommandRouter {
  constructor(
    private readonly personas: PersonaService,
    private readonly access: AccessPolicy = OPEN_ACCESS,
  ) {}

  /** Undefined when the command is not one this router handles. */
  async run(command: ParsedCommand, ctx: CommandContext): Promise<Reply | undefined> {
    const { entry, args } = command;
    if (!this.access.mayUse(ctx)) {
      return refusal(
        `You are not allowed to use this bot. Ask an admin to add your id (${ctx.actor.id}) to the allowlist.`,
      );
    }
    if (entry.admin && !this.access.isAdmin(ctx)) return refusal(`Only admins can run ${usage(entry)}.`);
    const required = entry.options.filter((option) => option.required).length;
    if (args.length < required) return refusal(`Usage: ${usage(entry)}`);
    if (args.length > entry.options.length) return refusal(`Too many words. Usage: ${usage(entry)}`);
    const [first, second, third] = args;
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
      case "persona.reload":
        return this.personas.reload();
      case "profile.use":
        return this.personas.use(ctx, first ?? "");
      default:
        return undefined;
    }
  }
}
