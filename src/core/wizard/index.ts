export { renderView, startEditWizard, startWizard, step } from "./step.ts";
export { expectedSecret } from "./flow.ts";
export type { Transition, WizardContext, WizardEffect, WizardEvent } from "./events.ts";
export {
  isFinished,
  SCREENS,
  type Actor,
  type Draft,
  type EditSession,
  type Screen,
  type Surface,
  type WizardState,
} from "./state.ts";
