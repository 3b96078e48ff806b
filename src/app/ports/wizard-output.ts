// What a chat surface (console, Telegram, Discord) offers the app to show things: the wizard's
// screens, short private notices, and install status messages it sends once and edits in place.
// Adapters implement it; the wizard runner and the progress reporter call it.
import type { View } from "../../core/view.ts";
import type { Actor, WizardState } from "../../core/wizard/state.ts";

export type PortResult =
  | { readonly ok: true; readonly ref?: string }
  | { readonly ok: false; readonly kind: "not_modified" }
  | { readonly ok: false; readonly kind: "rate_limited"; readonly retryAfterMs: number }
  | { readonly ok: false; readonly kind: "error"; readonly message: string }
  /**
   * The platform will not take this message anywhere the surface can send it (no permission, DMs
   * closed, an archived thread): asking again only collects refusals, which Discord counts toward
   * its invalid-request limit. The group gets no more status calls; the surface has told the owner.
   */
  | { readonly ok: false; readonly kind: "refused"; readonly message: string };

/** What a surface offers the reporter: send a status message, edit it later. */
export interface ProgressPort {
  /** `owner` lets a surface fall back to a private message when the chat refuses the bot. */
  sendStatus(chat: string, view: View, owner?: Actor): Promise<PortResult>;
  editStatus(chat: string, ref: string, view: View): Promise<PortResult>;
}

/** What an adapter gives the runner to show things on its surface (and install progress). */
export interface WizardOutput extends ProgressPort {
  /**
   * Shows the screen. A surface that edits one message per wizard answers with that message's ref
   * when it differs from `state.screenRef` (a new message was posted), so the runner keeps it with
   * the session and every replica edits the same message; others answer nothing.
   */
  render(state: WizardState, view: View): Promise<string | void>;
  /** A short private answer to one person (toast, ephemeral reply, console line). */
  notify(state: WizardState, actorId: string, text: string): Promise<void>;
}
