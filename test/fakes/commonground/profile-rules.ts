// The upload rules of the real v1r4 server, in its order: read the bytes as UTF-8, load the YAML,
// the normaliser (root mapping, name, worker_target, tags, the system_prompt alias), then a
// pydantic model that type-checks the known fields and keeps every extra top-level key. What it
// returns is the stored card: the whole document as stored, including fields the API never echoes.
import { safeLoad } from "../../../src/core/commonground/pyyaml.ts";
import {
  decodeUtf8AsPython,
  pyRepr,
  pyStr,
  pyTypeName,
} from "../../../src/core/commonground/python-values.ts";

export type Card = Record<string, unknown>;

export class UploadRefused extends Error {}

interface FieldError {
  readonly loc: readonly (string | number)[];
  readonly type: string;
  readonly msg: string;
  readonly input: unknown;
}

/** What LiteLLM's config gets when the profile says nothing, as the real server stores it. */
const LLM_DEFAULTS = { model: "gpt-3.5-turbo", temperature: 1.0, stream: true } as const;
const STRING_LISTS = ["allowed_tools", "allowed_internal_tools", "must_end_with"] as const;

export function readProfileUpload(bytes: Uint8Array): Card {
  let text: string;
  try {
    text = decodeUtf8AsPython(bytes);
  } catch (error) {
    throw new UploadRefused(`failed to read file: ${(error as Error).message}`);
  }
  let root: unknown;
  try {
    root = safeLoad(text);
  } catch (error) {
    throw new UploadRefused((error as Error).message);
  }
  if (!isMapping(root)) throw new UploadRefused("YAML root must be a mapping");
  const card = normalise(root);
  const errors = checkModel(card);
  if (errors.length > 0) throw new UploadRefused(pydanticText(errors));
  return toStored(card) as Card;
}

function normalise(root: Card): Card {
  const name = nonBlank(root["name"]);
  if (name === undefined) throw new UploadRefused("profile name is required");
  const workerTarget = nonBlank(root["worker_target"]);
  if (workerTarget === undefined) throw new UploadRefused("profile worker_target is required");
  const template = root["system_prompt_template"] ?? root["system_prompt"] ?? "";
  return {
    ...root,
    name,
    worker_target: workerTarget,
    tags: normaliseTags(root["tags"]),
    system_prompt_template: template,
  };
}

function nonBlank(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** Items are `str()`-ed (so `null` is "None"), trimmed, empty ones dropped; a string is split on ",". */
function normaliseTags(value: unknown): string[] {
  // Absent and null read the same (`dict.get`): no tags.
  if (value === undefined || value === null) return [];
  let items: unknown[];
  if (typeof value === "string") items = value.split(",");
  else if (Array.isArray(value)) items = value;
  else throw new UploadRefused("profile tags must be a list of strings");
  return items.map((item) => pyStr(item).trim()).filter((tag) => tag !== "");
}

function checkModel(card: Card): FieldError[] {
  const errors: FieldError[] = [];
  checkString(card, ["system_prompt_template"], errors);
  if ("description" in card) checkString(card, ["description"], errors);
  for (const field of STRING_LISTS) if (field in card) checkStringList(card[field], [field], errors);
  card["llm_config"] = checkLlmConfig(card["llm_config"], errors);
  if (card["delegation_policy"] !== undefined && card["delegation_policy"] !== null)
    card["delegation_policy"] = checkDelegation(card["delegation_policy"], errors);
  return errors;
}

function checkString(card: Card, loc: string[], errors: FieldError[]): void {
  const value = card[loc[0] ?? ""];
  if (typeof value !== "string")
    errors.push({ loc, type: "string_type", msg: "Input should be a valid string", input: value });
}

function checkStringList(value: unknown, loc: (string | number)[], errors: FieldError[]): void {
  // pydantic's lax list takes a set as well; a bare string is not a list.
  const items = Array.isArray(value) ? value : value instanceof Set ? [...value] : undefined;
  if (!items) {
    errors.push({ loc, type: "list_type", msg: "Input should be a valid list", input: value });
    return;
  }
  items.forEach((item, index) => {
    if (typeof item !== "string")
      errors.push({
        loc: [...loc, index],
        type: "string_type",
        msg: "Input should be a valid string",
        input: item,
      });
  });
}

function checkLlmConfig(value: unknown, errors: FieldError[]): unknown {
  if (value === undefined) return { ...LLM_DEFAULTS };
  if (!isMapping(value)) {
    errors.push({
      loc: ["llm_config"],
      type: "model_type",
      msg: "Input should be a valid dictionary or instance of LLMConfig",
      input: value,
    });
    return value;
  }
  const config: Card = { ...LLM_DEFAULTS, ...value };
  if (typeof config["model"] !== "string")
    errors.push({
      loc: ["llm_config", "model"],
      type: "string_type",
      msg: "Input should be a valid string",
      input: config["model"],
    });
  config["temperature"] = laxFloat(config["temperature"], ["llm_config", "temperature"], errors);
  config["stream"] = laxBool(config["stream"], ["llm_config", "stream"], errors);
  if (
    config["api_base"] !== undefined &&
    config["api_base"] !== null &&
    typeof config["api_base"] !== "string"
  )
    errors.push({
      loc: ["llm_config", "api_base"],
      type: "string_type",
      msg: "Input should be a valid string",
      input: config["api_base"],
    });
  const options = config["provider_options"];
  if (options !== undefined && options !== null && !isMapping(options))
    errors.push({
      loc: ["llm_config", "provider_options"],
      type: "dict_type",
      msg: "Input should be a valid dictionary",
      input: options,
    });
  return config;
}

function checkDelegation(value: unknown, errors: FieldError[]): unknown {
  if (!isMapping(value)) {
    errors.push({
      loc: ["delegation_policy"],
      type: "model_type",
      msg: "Input should be a valid dictionary or instance of DelegationPolicy",
      input: value,
    });
    return value;
  }
  // Unknown keys inside are ignored: not an error, and not stored.
  const targetTags = value["target_tags"] ?? [];
  const targetProfiles = value["target_profiles"] ?? null;
  checkStringList(targetTags, ["delegation_policy", "target_tags"], errors);
  if (targetProfiles !== null)
    checkStringList(targetProfiles, ["delegation_policy", "target_profiles"], errors);
  return { target_tags: targetTags, target_profiles: targetProfiles };
}

function laxFloat(value: unknown, loc: string[], errors: FieldError[]): unknown {
  if (typeof value === "number") return value;
  if (typeof value === "bigint" || typeof value === "boolean") return Number(value);
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
  const parsing = typeof value === "string";
  errors.push({
    loc,
    type: parsing ? "float_parsing" : "float_type",
    msg: parsing
      ? "Input should be a valid number, unable to parse string as a number"
      : "Input should be a valid number",
    input: value,
  });
  return value;
}

const TRUE_WORDS = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE_WORDS = new Set(["0", "off", "f", "false", "n", "no"]);

function laxBool(value: unknown, loc: string[], errors: FieldError[]): unknown {
  if (typeof value === "boolean") return value;
  if ((typeof value === "bigint" || typeof value === "number") && (value == 0 || value == 1))
    return value == 1;
  if (typeof value === "string" && TRUE_WORDS.has(value.toLowerCase())) return true;
  if (typeof value === "string" && FALSE_WORDS.has(value.toLowerCase())) return false;
  errors.push({
    loc,
    type: typeof value === "string" ? "bool_parsing" : "bool_type",
    msg:
      typeof value === "string"
        ? "Input should be a valid boolean, unable to interpret input"
        : "Input should be a valid boolean",
    input: value,
  });
  return value;
}

/** pydantic's ValidationError text (its help-link line omitted: it names a pydantic version). */
function pydanticText(errors: FieldError[]): string {
  const count = `${errors.length} validation error${errors.length === 1 ? "" : "s"} for ProfileSpec`;
  const lines = errors.map(
    (error) =>
      `${error.loc.join(".")}\n  ${error.msg} [type=${error.type}, input_value=${pyRepr(error.input)}, input_type=${pyTypeName(error.input)}]`,
  );
  return [count, ...lines].join("\n");
}

export function isMapping(value: unknown): value is Card {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof Set) &&
    // `!!omap` is a list of pairs to PyYAML, not a mapping.
    !(value instanceof Map)
  );
}

/** As the card is stored (JSON in Postgres): ints as numbers, dates as ISO text, sets as lists. */
function toStored(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("latin1");
  if (value instanceof Set) return [...value].map(toStored);
  if (Array.isArray(value)) return value.map(toStored);
  if (value instanceof Map) return [...value].map(([key, item]) => [toStored(key), toStored(item)]);
  if (isMapping(value))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toStored(item)]));
  return value;
}
