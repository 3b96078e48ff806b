// Drives the pure wizard the way a user would: press buttons by label, type answers. Every step
// goes through the real step() function; the driver only finds tokens in the rendered view.
import { parseButtonToken } from "../../src/core/tokens/button-token.ts";
import type { View } from "../../src/core/view.ts";
import {
  startEditWizard,
  startWizard,
  type EditSession,
  step,
  type Actor,
  type Transition,
  type WizardContext,
  type WizardEffect,
  type WizardEvent,
  type WizardState,
} from "../../src/core/wizard/index.ts";

export const ALICE: Actor = { id: "u-alice", name: "Alice" };
export const MALLORY: Actor = { id: "u-mallory", name: "Mallory" };

export class WizardDriver {
  state: WizardState;
  effects: readonly WizardEffect[];
  clock = 1_000;

  constructor(
    public ctx: WizardContext,
    readonly owner: Actor = ALICE,
    edit?: EditSession,
  ) {
    const init = { id: "sess0001", owner, surface: "console" as const, chat: "c1", at: this.clock };
    const started = edit ? startEditWizard(init, edit, ctx) : startWizard(init, ctx);
    this.state = started.state;
    this.effects = started.effects;
  }

  get view(): View {
    const render = [...this.effects].reverse().find((effect) => effect.type === "render");
    if (!render || render.type !== "render") throw new Error("no view rendered by the last transition");
    return render.view;
  }

  /** Every token on the current view with its label: list items first, then page controls, then buttons. */
  tokens(): { label: string; token: string }[] {
    const { choices, buttons } = this.view;
    return [
      ...(choices?.items.map((item) => ({ label: item.label, token: item.token })) ?? []),
      ...(choices?.previousToken ? [{ label: "◀ page", token: choices.previousToken }] : []),
      ...(choices?.nextToken ? [{ label: "page ▶", token: choices.nextToken }] : []),
      ...buttons.flat().map((button) => ({ label: button.label, token: button.token })),
    ];
  }

  tokenFor(label: string): string {
    const found = this.tokens().find((entry) => entry.label === label || entry.label.startsWith(label));
    if (!found)
      throw new Error(
        `no button '${label}' on ${this.state.step}: ${this.tokens()
          .map((t) => t.label)
          .join(" | ")}`,
      );
    return found.token;
  }

  press(label: string, actor: Actor = this.owner): Transition {
    return this.pressToken(this.tokenFor(label), actor);
  }

  pressToken(token: string, actor: Actor = this.owner): Transition {
    const parsed = parseButtonToken(token);
    if (!parsed.ok) throw new Error(`bad token ${token}`);
    return this.send({ type: "press", press: parsed.value, actor, at: this.tick() });
  }

  type(text: string, actor: Actor = this.owner): Transition {
    return this.send({ type: "text", text, actor, at: this.tick() });
  }

  secret(env: string): Transition {
    return this.send({ type: "secretProvided", env, actor: this.owner, at: this.tick() });
  }

  send(event: WizardEvent): Transition {
    const transition = step(this.state, event, this.ctx);
    this.state = transition.state;
    this.effects = transition.effects;
    return transition;
  }

  effect<T extends WizardEffect["type"]>(type: T): Extract<WizardEffect, { type: T }> | undefined {
    return this.effects.find((effect): effect is Extract<WizardEffect, { type: T }> => effect.type === type);
  }

  private tick(): number {
    this.clock += 1_000;
    return this.clock;
  }
}

/** Walks a fresh wizard to Review with OpenRouter, default skills and no MCP servers (and a display name, if given). */
export function walkToReview(driver: WizardDriver, name = "research-bot", displayName?: string): void {
  driver.type(name);
  if (displayName !== undefined) {
    driver.press("Display name");
    driver.type(displayName);
  }
  driver.press("Next");
  driver.press("OpenRouter");
  driver.press("anthropic/claude-sonnet-4");
  driver.press("Skip");
  driver.press("Optional skills");
  driver.press("Hub skills");
  driver.press("Done");
  driver.press("MCP servers");
  driver.press("Next");
  driver.press("No persona");
}
