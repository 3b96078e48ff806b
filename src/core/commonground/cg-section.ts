// The `commonground:` section of a blueprint: what a CommonGround profile has and a Hermes profile
// does not, kept so an import and the export after it lose nothing. Hermes never reads it; the
// CommonGround export and backend do. Keys are never in it: LiteLLM options whose name looks like a
// secret are refused (the worker reads its keys from its environment).
import { z } from "zod";
import { hasDisallowedChars } from "../text-rules.ts";
import { urlSecret } from "../url-secrets.ts";

/** A CommonGround name, tag, worker target or tool name: one line, no control characters. */
export const CG_TEXT_MAX_CHARS = 200;
export const CG_LIST_MAX = 100;
/** The worker every profile targets when neither the blueprint nor the configuration names one. */
export const DEFAULT_WORKER_TARGET = "worker_generic";
/** Option names that hold a key, refused in a blueprint (the worker's environment has them). */
export const SECRET_OPTION = /key|token|secret|password|passwd|credential|auth|bearer|cookie/i;

/**
 * Where a value holds a secret, as dotted paths: a key-like name at any depth (in mappings and
 * lists), a URL with credentials or a key-like query parameter, a `Bearer …` header value. A secret
 * inside a URL's path cannot be told from a name and is not found.
 */
export function secretPaths(value: unknown, at = ""): string[] {
  if (typeof value === "string")
    return urlSecret(value) !== undefined || /^\s*bearer\s+\S/i.test(value) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => secretPaths(item, `${at}[${index}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => {
    const path = at ? `${at}.${key}` : key;
    return SECRET_OPTION.test(key) ? [path] : secretPaths(inner, path);
  });
}

export const cgText = z
  .string()
  .transform((raw) => raw.trim())
  .refine((text) => text.length >= 1 && text.length <= CG_TEXT_MAX_CHARS, {
    message: `1–${CG_TEXT_MAX_CHARS} characters`,
  })
  .refine((text) => !/[\r\n]/.test(text) && !hasDisallowedChars(text), {
    message: "one line without control or invisible characters",
  });

const cgList = z.array(cgText).max(CG_LIST_MAX);

/** `delegation_policy`: `target_profiles: null` delegates by tags alone; `[]` lists nobody. */
export const delegationPolicySchema = z
  .object({
    target_tags: cgList.default([]),
    target_profiles: cgList.nullable().default(null),
  })
  .strict();

/** A mapping kept as given, with no key anywhere in it (the worker reads keys from its environment). */
const keyFree = z.record(z.string(), z.unknown()).superRefine((options, ctx) => {
  for (const path of secretPaths(options))
    ctx.addIssue({
      code: "custom",
      path: path.split(/[.[\]]/).filter(Boolean),
      message: "keys are not kept in a blueprint: the worker reads them from its environment",
    });
});

export const commongroundSectionSchema = z
  .object({
    /** The CommonGround name when it is not the Hermes one (a name Hermes' rule would change). */
    name: cgText.optional(),
    worker_target: cgText.optional(),
    tags: cgList.optional(),
    /** `null`: the profile has no allowed_tools key (an import of one without it); absent: derived on export. */
    allowed_tools: cgList.nullable().optional(),
    allowed_internal_tools: cgList.optional(),
    must_end_with: cgList.optional(),
    delegation_policy: delegationPolicySchema.optional(),
    /** `llm_config` keys other than the model and its api_base (temperature, stream, provider_options…). */
    llm_config: keyFree.optional(),
    /** Other top-level keys of the CommonGround profile, kept as they were. */
    extra: keyFree.optional(),
  })
  .strict();

export type CommonGroundSection = z.output<typeof commongroundSectionSchema>;
