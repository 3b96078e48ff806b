// Who runs a command, where: what every command handler gets, whichever surface it was typed on,
// and the policy a surface applies to it (the platforms' allowlists; the console allows all).
import type { Actor, Surface } from "../../core/wizard/state.ts";

export interface CommandContext {
  readonly actor: Actor;
  readonly surface: Surface;
  readonly chat: string;
}

/** Who may run commands on a surface; platform adapters fill it from their allowlists. */
export interface AccessPolicy {
  mayUse(ctx: CommandContext): boolean;
  isAdmin(ctx: CommandContext): boolean;
}

/** The console is the operator's own terminal: everything is allowed there. */
export const OPEN_ACCESS: AccessPolicy = { mayUse: () => true, isAdmin: () => true };
