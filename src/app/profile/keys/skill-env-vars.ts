// The environment variables a skill declares in its SKILL.md frontmatter, read as Hermes 0.19 reads
// them (tools/skills_tool.py `_get_required_environment_variables`): `required_environment_variables`
// (one mapping or a list of names and mappings with `name` or `env_var`), `setup.collect_secrets`
// (mappings with `env_var`) and the legacy `prerequisites.env_vars` (a name or a list). Names that
// are not `^[A-Za-z_][A-Za-z0-9_]*$` are dropped, as Hermes drops them; the first mention wins.

/** Hermes' `_ENV_VAR_NAME_RE`. */
const HERMES_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface SkillEnvVar {
  readonly name: string;
  /** `optional: true` on a mapping: Hermes lists it but does not hold the skill back without it. */
  readonly optional: boolean;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Python's `str(x).strip()` for the scalars a frontmatter holds; anything else is no name. */
function nameOf(value: unknown): string {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value).trim();
  return "";
}

/** One mapping or a list, as Hermes wraps a lone mapping into a list. */
function listOf(value: unknown): unknown[] {
  if (record(value)) return [value];
  return Array.isArray(value) ? value : [];
}

export function skillEnvVars(frontmatter: unknown): SkillEnvVar[] {
  const front = record(frontmatter) ?? {};
  const found: SkillEnvVar[] = [];
  const add = (raw: unknown, optional = false) => {
    const name = nameOf(raw);
    if (name === "" || !HERMES_ENV_NAME.test(name) || found.some((entry) => entry.name === name)) return;
    found.push({ name, optional });
  };
  for (const item of listOf(front["required_environment_variables"])) {
    if (typeof item === "string") add(item);
    const entry = record(item);
    // Python's `entry.get("name") or entry.get("env_var")`: an empty name falls through.
    if (entry) add(entry["name"] || entry["env_var"], Boolean(entry["optional"]));
  }
  for (const item of listOf(record(front["setup"])?.["collect_secrets"])) add(record(item)?.["env_var"]);
  const legacy = record(front["prerequisites"])?.["env_vars"];
  for (const item of typeof legacy === "string" ? [legacy] : Array.isArray(legacy) ? legacy : []) add(item);
  return found;
}
