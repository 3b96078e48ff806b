// Apply, on this machine: the planned edits written file by file (each one atomically), only when
// the profile is still what the plan was made from, and only the files whose text changes.
import path from "node:path";
import { editYamlText, type YamlEdit } from "../../../core/edit/yaml-splice.ts";
import type { EditPlan } from "../../../core/edit/plan-edit.ts";
import type { Outcome } from "../../ports/outcome.ts";
import { ENV_FILE_MODE } from "../env-file.ts";
import { deleteEnvLines, setEnvLine } from "../keys/env-edit.ts";
import { HERMES_CONFIG_VERSION } from "../hermes-defaults.ts";
import { snapshotForUndo } from "./edit-undo.ts";
import { EDIT_FILES, type EditFile, fingerprint, type ProfileTexts } from "./profile-texts.ts";
import { writeFileAtomic } from "./write-atomic.ts";
import { rememberYamlMapping, yamlMapping } from "../yaml-mapping.ts";

/** What an edit does to .env: keys set (or replaced), keys whose lines go. */
export interface EnvChanges {
  readonly set: ReadonlyArray<readonly [string, string]>;
  readonly delete: readonly string[];
}

const NO_ENV_CHANGES: EnvChanges = { set: [], delete: [] };

export interface AppliedEdit {
  /** The files written, relative to the profile. */
  readonly written: string[];
  /** YAML files whose formatting could not be kept exactly (their content is right). */
  readonly reformatted: string[];
  /** The files' fingerprint right after the write: an Undo applies only while it still matches. */
  readonly fingerprint: string;
}

/** The new texts an edit makes, file by file; a file whose text would not change is left out. */
export function editedTexts(
  read: ProfileTexts,
  plan: EditPlan,
  env: EnvChanges = NO_ENV_CHANGES,
): { file: string; text: string; exact: boolean }[] {
  const out: { file: string; text: string; exact: boolean }[] = [];
  if (plan.config.length > 0) {
    // A profile without config.yaml gets one Hermes finds current, as Create writes it.
    const edits =
      read.config === undefined
        ? [{ path: ["_config_version"], value: HERMES_CONFIG_VERSION }, ...plan.config]
        : plan.config;
    const edited = editRemembered(read.config ?? "", edits);
    if (edited.text !== read.config) out.push({ file: EDIT_FILES.config, ...edited });
  }
  if (plan.meta.length > 0) {
    const edited = editRemembered(read.meta ?? "", plan.meta);
    if (edited.text !== read.meta) out.push({ file: EDIT_FILES.meta, ...edited });
  }
  if (plan.soul !== undefined && plan.soul !== read.soul)
    out.push({ file: EDIT_FILES.soul, text: plan.soul, exact: true });
  if (env.set.length > 0 || env.delete.length > 0) {
    let text = read.env ?? "";
    for (const [key, value] of env.set) text = setEnvLine(text, key, value).text;
    for (const key of env.delete) text = deleteEnvLines(text, key).text;
    if (text !== (read.env ?? "")) out.push({ file: EDIT_FILES.env, text, exact: true });
  }
  return out;
}

/**
 * The edited text. The original's meaning comes from memory (the editor's read parsed it), so the
 * splice parses only the top-level keys it changes; the new text's meaning goes into memory, so
 * neither the reads after Apply nor the next Apply of this profile parse the whole file again.
 */
function editRemembered(text: string, edits: readonly YamlEdit[]): { text: string; exact: boolean } {
  const known = yamlMapping(text, "file");
  const edited = editYamlText(text, edits, known.ok ? { value: known.value } : {});
  if (typeof edited.value === "object" && edited.value !== null && !Array.isArray(edited.value))
    rememberYamlMapping(edited.text, edited.value as Record<string, unknown>);
  return { text: edited.text, exact: edited.exact };
}

/**
 * Writes the plan. `read` is the profile's files as read just now, inside the per-profile section
 * its caller holds and checked there against what the editor read; no write of this process to the
 * profile's config.yaml (another Apply, an Undo, a persona command's) lands inside that section, so
 * the files are not read again here.
 */
export async function applyLocalEdit(
  dir: string,
  plan: EditPlan,
  read: ProfileTexts,
  env: EnvChanges = NO_ENV_CHANGES,
): Promise<Outcome<AppliedEdit>> {
  const written: string[] = [];
  const reformatted: string[] = [];
  const edits = editedTexts(read, plan, env);
  const previous: Record<string, string | undefined> = {
    [EDIT_FILES.config]: read.config,
    [EDIT_FILES.meta]: read.meta,
    [EDIT_FILES.soul]: read.soul,
  };
  // The files as this Apply will leave them (not read back after: a write by someone else right
  // after this one must make the Undo refuse, not become part of what it restores over).
  const left: Record<string, string | undefined> = { ...read };
  for (const { file, text } of edits) {
    const key = (Object.keys(EDIT_FILES) as EditFile[]).find((name) => EDIT_FILES[name] === file);
    if (key) left[key] = text;
  }
  const after = fingerprint(left as ProfileTexts);
  try {
    await snapshotForUndo(
      dir,
      edits.map((edit) => edit.file),
      (file) => previous[file],
      after,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return { ok: false, reason: `the copy for Undo could not be written (${code}); nothing was written` };
  }
  for (const { file, text, exact } of edits) {
    try {
      // .env is owner-only, as Hermes makes it.
      await writeFileAtomic(path.join(dir, file), text, file === EDIT_FILES.env ? ENV_FILE_MODE : undefined);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      return {
        ok: false,
        reason: `${file} could not be written (${code}); ${written.length > 0 ? `already written: ${written.join(", ")}` : "nothing was written"}`,
      };
    }
    written.push(file);
    if (!exact) reformatted.push(file);
  }
  return { ok: true, value: { written, reformatted, fingerprint: after } };
}
