// A blueprint's model in LiteLLM's naming, which CommonGround's `llm_config` uses, and back.
// LiteLLM names a model `<provider>/<model id>`; an OpenAI-compatible server is `openai/<id>` with
// `api_base`, Ollama is `ollama_chat/<id>` with the server's root (no `/v1`) as `api_base`. The
// worker reads its key from the environment variable LiteLLM reads for that provider.

export interface BlueprintModel {
  readonly provider: string;
  readonly model: string;
  readonly base_url?: string | null | undefined;
}

export interface LiteLlmModel {
  /** `llm_config.model`. */
  readonly model: string;
  /** `llm_config.api_base`, for a server you run. */
  readonly api_base?: string;
  /** The environment variable LiteLLM reads the key from; undefined for a local server. */
  readonly keyEnv?: string;
}

interface Route {
  /** The blueprint's provider slug. */
  readonly provider: string;
  /** LiteLLM's prefix. */
  readonly prefix: string;
  readonly keyEnv?: string;
  /** The model is on a server of the user's: its address goes to api_base. */
  readonly server?: "ollama" | "openai";
}

/** Every provider of the bot's catalog, with LiteLLM's prefix and key variable. */
export const LITELLM_ROUTES: readonly Route[] = [
  { provider: "openrouter", prefix: "openrouter", keyEnv: "OPENROUTER_API_KEY" },
  { provider: "anthropic", prefix: "anthropic", keyEnv: "ANTHROPIC_API_KEY" },
  { provider: "openai-api", prefix: "openai", keyEnv: "OPENAI_API_KEY" },
  { provider: "gemini", prefix: "gemini", keyEnv: "GEMINI_API_KEY" },
  { provider: "deepseek", prefix: "deepseek", keyEnv: "DEEPSEEK_API_KEY" },
  { provider: "xai", prefix: "xai", keyEnv: "XAI_API_KEY" },
  { provider: "ollama", prefix: "ollama_chat", server: "ollama" },
  { provider: "custom", prefix: "openai", server: "openai" },
];

/** LiteLLM also reads these prefixes as the same provider. */
const PREFIX_ALIASES: Readonly<Record<string, string>> = { ollama: "ollama_chat", google: "gemini" };

/** The model in LiteLLM's naming, or undefined for a provider LiteLLM has no route for here. */
export function toLiteLlm(model: BlueprintModel): LiteLlmModel | undefined {
  const route = LITELLM_ROUTES.find((entry) => entry.provider === model.provider);
  if (!route) return undefined;
  const id = `${route.prefix}/${model.model}`;
  if (route.server === "ollama" && model.base_url)
    return { model: id, api_base: model.base_url.replace(/\/v1\/?$/, "") };
  if (route.server === "openai" && model.base_url) return { model: id, api_base: model.base_url };
  return { model: id, ...(route.keyEnv ? { keyEnv: route.keyEnv } : {}) };
}

/**
 * A LiteLLM model (with `api_base` and `provider_options.custom_llm_provider`, which overrides the
 * prefix) as the blueprint's model; undefined when no provider of the catalog takes it.
 */
export function fromLiteLlm(
  model: string,
  apiBase: string | undefined,
  customProvider: string | undefined,
): BlueprintModel | undefined {
  const slash = model.indexOf("/");
  const written = slash > 0 ? model.slice(0, slash) : undefined;
  const rest = slash > 0 ? model.slice(slash + 1) : model;
  const prefix = PREFIX_ALIASES[customProvider ?? written ?? ""] ?? customProvider ?? written;
  // A bare id is OpenAI's, as LiteLLM reads it.
  if (prefix === undefined) return { provider: "openai-api", model };
  const id = customProvider && written !== customProvider ? model : rest;
  if (id === "") return undefined;
  if (prefix === "ollama_chat")
    return { provider: "ollama", model: id, base_url: apiBase ? `${apiBase.replace(/\/+$/, "")}/v1` : null };
  if (prefix === "openai" && apiBase) return { provider: "custom", model: id, base_url: apiBase };
  const route = LITELLM_ROUTES.find((entry) => entry.prefix === prefix && !entry.server);
  return route ? { provider: route.provider, model: id } : undefined;
}
