// The one rule for a model id the bot got from elsewhere (a model server's listing, Hermes' provider
// registry) before it is shown or chosen: the same bounds a typed id meets, and nothing that could
// disguise it on a screen.
import { MODEL_ID_MAX_CHARS } from "./limits.ts";
import { hasDisallowedChars } from "./text-rules.ts";

/** 1–MODEL_ID_MAX_CHARS characters, no white space, no control, bidi or zero-width characters. */
export function isUsableModelId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= MODEL_ID_MAX_CHARS &&
    !/\s/.test(value) &&
    !hasDisallowedChars(value)
  );
}
