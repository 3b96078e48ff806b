// A persona: YAML frontmatter (library/personas/README.md lists its keys) and a Markdown body, the specialist prompt that is laid
// over a profile's identity. The schema is checked on load; unknown keys are reported, not dropped.
import { z } from "zod";
import { MCP_SERVER_NAME_PATTERN } from "../limits.ts";

export const PERSONA_SCHEMA_VERSION = 1;
export const PERSONA_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,63}$/;
export const PERSONA_CATEGORY_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const PERSONA_DESCRIPTION_MAX_CHARS = 200;
/** A persona file larger than this is refused before it is parsed. */
export const PERSONA_FILE_MAX_BYTES = 64 * 1024;
/** The body is a system prompt re-read every message: 4–8 KB is the norm, 16 KB the limit. */
export const PERSONA_BODY_MAX_BYTES = 16 * 1024;
export const PERSONA_GLYPH_MAX_GRAPHEMES = 3;

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

export const personaFrontmatterSchema = z.object({
  schema: z.literal(PERSONA_SCHEMA_VERSION),
  id: z.string().regex(PERSONA_ID_PATTERN, "lowercase letters, digits and '-' (2–64)"),
  category: z.string().regex(PERSONA_CATEGORY_PATTERN, "lowercase letters, digits and '-'"),
  name: z.string().trim().min(1).max(80),
  glyph: z.string().refine((glyph) => {
    const count = [...graphemes.segment(glyph)].length;
    return count >= 1 && count <= PERSONA_GLYPH_MAX_GRAPHEMES;
  }, `1–${PERSONA_GLYPH_MAX_GRAPHEMES} characters`),
  description: z.string().trim().min(1).max(PERSONA_DESCRIPTION_MAX_CHARS),
  tags: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/)).max(20),
  version: z.string().regex(SEMVER, "a semantic version such as 1.2.0"),
  /** `<provider>/<model id>`, e.g. openrouter/anthropic/claude-sonnet-4. */
  default_model: z.string().regex(/^[a-z0-9][a-z0-9_-]*\/\S+$/, "<provider>/<model id>"),
  default_memory_provider: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
  suggested_mcps: z.array(z.string().regex(MCP_SERVER_NAME_PATTERN)).max(25),
  suggested_toolsets: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)).max(25),
  aliases: z.array(z.string().regex(PERSONA_ID_PATTERN)).max(10).optional(),
});

export type PersonaMeta = z.infer<typeof personaFrontmatterSchema>;
export const PERSONA_KEYS: readonly string[] = Object.keys(personaFrontmatterSchema.shape);

export interface Persona {
  readonly meta: PersonaMeta;
  /** The specialist prompt (Markdown), trimmed. */
  readonly body: string;
  /** Content hash of the body, to tell a profile's copy from the library's. */
  readonly hash: string;
  /** Where it was loaded from, relative to the library (for messages). */
  readonly file: string;
}

/** `openrouter/anthropic/claude-sonnet-4` → provider `openrouter`, model `anthropic/claude-sonnet-4`. */
export function splitDefaultModel(value: string): { provider: string; model: string } {
  const slash = value.indexOf("/");
  return { provider: value.slice(0, slash), model: value.slice(slash + 1) };
}
