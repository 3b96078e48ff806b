// Whether a local model fits a Hermes agent: the facts its server reports (context window, whether
// it can call tools) against what Hermes itself requires. Hermes 0.19 refuses to start an agent
// whose context window is below agent/model_metadata.py MINIMUM_CONTEXT_LENGTH (agent_init.py
// raises), and a model without tool calling cannot use any toolset.

/** Hermes 0.19's MINIMUM_CONTEXT_LENGTH (the conformance test reads it from Hermes). */
export const HERMES_MIN_CONTEXT_TOKENS = 64_000;
/** A context window above this is not one a server can honestly report (the largest today are ~10M). */
export const CONTEXT_LENGTH_MAX = 100_000_000;

/** What a model server said about one model; absent fields: it did not say. */
export interface ModelFacts {
  readonly contextLength?: number;
  readonly tools?: boolean;
}

/** A context length worth writing: a whole number of tokens, positive, not absurd. */
export function isUsableContextLength(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0 && value <= CONTEXT_LENGTH_MAX;
}

/** The warnings a model's facts call for, in plain words (empty: it fits, as far as the server said). */
export function fitWarnings(model: string, facts: ModelFacts): string[] {
  const warnings: string[] = [];
  if (facts.tools === false)
    warnings.push(
      `⚠ ${model} cannot call tools (its server does not list the "tools" capability): the agent could only talk, not use any toolset, skill or MCP server.`,
    );
  if (facts.contextLength !== undefined && facts.contextLength < HERMES_MIN_CONTEXT_TOKENS)
    warnings.push(
      `⚠ ${model} has a context window of ${facts.contextLength.toLocaleString("en-US")} tokens; Hermes refuses to start an agent below ${HERMES_MIN_CONTEXT_TOKENS.toLocaleString("en-US")}.`,
    );
  return warnings;
}
