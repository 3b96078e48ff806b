// Hermes' provider registry as the discovery probe reports it, checked field by field before the
// Model step shows any of it: the probe runs whatever Python the Hermes install holds, so its answer
// is outside text like a host's. Labels pass the gate; ids, key names and model ids must meet the
// rules the wizard itself enforces, or are dropped (a provider without a usable id, or without a key
// name and not an OAuth one, is dropped whole); counts are capped so one answer cannot fill a screen or the memory.
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
  /** The .env variable Hermes reads the key from (the first it looks at); null for an OAuth provider. */
  readonly env: string | null;
  /** Set for a provider one signs in to (`hermes auth add <id> --type oauth`), not given a key. */
  readonly login?: "oauth";
  /** Hermes' model list for it; may be empty (the model id is then typed). */
  readonly models: readonly string[];
}

const rawProviderSchema = z.union([
  z.object({
    id: z.string().regex(PROVIDER_SLUG_PATTERN),
    name: z.string(),
    env: z.string().regex(ENV_VAR_NAME_PATTERN),
    models: z.array(z.unknown()),
  }),
  z.object({
    id: z.string().regex(PROVIDER_SLUG_PATTERN),
    name: z.string(),
    login: z.literal("oauth"),
    models: z.array(z.unknown()),
  }),
]);

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
    const data = parsed.data;
    providers.push(
      "login" in data
        ? { id: data.id, name, env: null, login: data.login, models }
        : { id: data.id, name, env: data.env, models },
    );
  }
  return providers;
}
