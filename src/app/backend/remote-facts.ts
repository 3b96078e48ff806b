// A Hermes host's config.yaml is outside text: the facts read from it are made fit to show.
import { cleanOutsideText, OUTSIDE_LABEL_MAX_CHARS } from "../../core/outside-text.ts";
import type { configFacts } from "./local-backend.ts";

/** Facts read from a config.yaml the host sent: every text cleaned and capped for showing. */
export function cleanFacts(facts: ReturnType<typeof configFacts>): ReturnType<typeof configFacts> {
  const clean = (text: string) => cleanOutsideText(text, OUTSIDE_LABEL_MAX_CHARS);
  return {
    ...facts,
    model: clean(facts.model),
    ...(facts.persona === undefined ? {} : { persona: clean(facts.persona) }),
    mcpServers: facts.mcpServers.map(clean),
    personas: facts.personas.map(clean),
  };
}
