// The answers of a console wizard from `/profile new` to Create, as lines typed or piped into
// `blueprint start` (or a bot's console): one place for the walk most console tests take.

export interface ConsoleWizardAnswers {
  /** The Identity step's name. */
  readonly name: string;
  /** The Model step: a provider as listed, then a model by name or number (default OpenAI, gpt-4.1). */
  readonly provider?: string;
  readonly model?: string;
  /** The key step: a key, or "skip" (the default). */
  readonly key?: string;
  /** Hub identifiers (space separated) typed on the Hub skills step; none by default. */
  readonly hub?: string;
  /** MCP servers chosen on the step after the skills; none by default. */
  readonly mcps?: readonly string[];
}

/** `/profile new`, the name, Next, the model, the key, the skills (hub identifiers typed), no persona, Create. */
export function consoleWizard(answers: ConsoleWizardAnswers): string[] {
  return [
    "/profile new",
    answers.name,
    "Next",
    answers.provider ?? "OpenAI",
    answers.model ?? "gpt-4.1",
    answers.key ?? "skip",
    "Optional skills",
    "Hub skills",
    ...(answers.hub !== undefined ? [answers.hub] : []),
    "done",
    "MCP servers",
    ...(answers.mcps ?? []),
    "Next",
    "No persona",
    "Create",
  ];
}

/** Piped stdin: the lines, then the end of input (an empty last line). */
export const piped = (lines: readonly string[]): string => [...lines, ""].join("\n");
