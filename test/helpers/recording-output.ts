// A WizardOutput that remembers the last screen of each session and the private notes, as a
// surface would show them; for app-level tests that drive the real runner without a platform.
import type { WizardOutput } from "../../src/app/ports/wizard-output.ts";
import type { View } from "../../src/core/view.ts";
import type { Actor, WizardState } from "../../src/core/wizard/index.ts";
import type { WizardRunner } from "../../src/app/runtime/wizard-runner.ts";

export class RecordingOutput implements WizardOutput {
  readonly views = new Map<string, View>();
  readonly notes: string[] = [];

  render(state: WizardState, view: View): Promise<string | void> {
    this.views.set(state.id, view);
    return Promise.resolve();
  }

  notify(_state: WizardState, _actor: string, text: string): Promise<void> {
    this.notes.push(text);
    return Promise.resolve();
  }

  sendStatus() {
    return Promise.resolve({ ok: true as const, ref: "1" });
  }

  editStatus() {
    return Promise.resolve({ ok: true as const });
  }

  view(session: string): View {
    const shown = this.views.get(session);
    if (!shown) throw new Error(`nothing rendered for ${session}`);
    return shown;
  }

  /** Presses the list item or button whose label starts with `label` (✓/☐ marks ignored). */
  async press(runner: WizardRunner, session: string, label: string, actor: Actor): Promise<void> {
    const shown = this.view(session);
    const all = [...(shown.choices?.items ?? []), ...shown.buttons.flat()];
    const target = all.find(
      (item) => item.label.startsWith(label) || item.label.replace(/^[✓☐•] /, "").startsWith(label),
    );
    if (!target)
      throw new Error(`no '${label}' on ${shown.title}: ${all.map((item) => item.label).join(" | ")}`);
    await runner.press(target.token, actor);
  }
}
