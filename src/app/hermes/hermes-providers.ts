// Hermes' provider registry as the discovery probe reports it, checked field by field before the
// Model step shows any of it: the probe runs whatever Python the Hermes install holds, so its answer
// is outside text like a host's. Labels pass the gate; ids, key names and model ids must meet the
// rules the wizard itself enforces, or are dropped (a provider without a usable id or key name is
// dropped whole); counts are capped so one answer cannot fill a screen or the memory.
import { z } from "zod";
import { cleanOutsideText, OUTSIDE_LABEL_MAX_CHARS } from "../../core/outside-text.ts";
import { ENV_VAR_NAME_PATTERN, MODEL_LIST_MAX, PROVIDER_SLUG_PATTERN } from "../../core/limits.ts";
import { isUsableModelId } from "../../core/model-id.ts";

/** More providers than this are not a registry (Hermes 0.19 has about 30). */
export const HERMES_PROVIDERS_MAX = 100;

/** A provider as Hermes' registry describes it, after the checks below. */
export interface HermesProvider {
  readonly id: string;
  readonly name: string;
  /** The .env variable Hermes reads the key from (the first it looks at). */
  readonly env: string;
  readonly models: readonly string[];
}

const rawProviderSchema = z.object({
  id: z.string().regex(PROVIDER_SLUG_PATTERN),
  name: z.string(),
  env: z.string().regex(ENV_VAR_NAME_PATTERN),
  models: z.array(z.unknown()),
});

/** The providers of a probe's answer that pass every check; anything else yields none. */
export function checkHermesProviders(raw: unknown): HermesProvider[] {
  if (!Array.isArray(raw)) return [];
  const providers: HermesProvider[] = [];
  const seen = new Set<string>();
  for (const entry of raw) {
    if (providers.length >= HERMES_PROVIDERS_MAX) break;
    const parsed = rawProviderSchema.safeParse(entry);
    if (!parsed.success || seen.has(parsed.data.id)) continue;
    const name = cleanOutsideText(parsed.data.name, OUTSIDE_LABEL_MAX_CHARS);
    if (name === "") continue;
    seen.add(parsed.data.id);
    const models = [...new Set(parsed.data.models.filter(isUsableModelId))].slice(0, MODEL_LIST_MAX);
    providers.push({ id: parsed.data.id, name, env: parsed.data.env, models });
  }
  return providers;
}
