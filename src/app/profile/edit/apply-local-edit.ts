// Apply, on this machine: the planned edits written file by file (each one atomically), only when
// the profile is still what the plan was made from, and only the files whose text changes.
import path from "node:path";
import { editYamlText } from "../../../core/edit/yaml-splice.ts";
import type { EditPlan } from "../../../core/edit/plan-edit.ts";
import type { Outcome } from "../../ports/outcome.ts";
import { ENV_FILE_MODE } from "../env-file.ts";
import { deleteEnvLines, setEnvLine } from "../keys/env-edit.ts";
import { HERMES_CONFIG_VERSION } from "../hermes-defaults.ts";
import { snapshotForUndo } from "./edit-undo.ts";
import {
  changedFiles,
  EDIT_FILES,
  fingerprint,
  readProfileTexts,
  type ProfileTexts,
} from "./profile-texts.ts";
import { writeFileAtomic } from "./write-atomic.ts";

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
    const edited = editYamlText(read.config ?? "", edits);
    if (edited.text !== read.config) out.push({ file: EDIT_FILES.config, ...edited });
  }
  if (plan.meta.length > 0) {
    const edited = editYamlText(read.meta ?? "", plan.meta);
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

export async function applyLocalEdit(
  dir: string,
  plan: EditPlan,
  read: ProfileTexts,
  env: EnvChanges = NO_ENV_CHANGES,
): Promise<Outcome<AppliedEdit>> {
  const now = await readProfileTexts(dir);
  const moved = changedFiles(read, now);
  if (moved.length > 0)
    return {
      ok: false,
      reason: `the profile changed since it was read (${moved.join(", ")}); nothing was written. Read it again and apply again.`,
    };
  const written: string[] = [];
  const reformatted: string[] = [];
  const edits = editedTexts(read, plan, env);
  const previous: Record<string, string | undefined> = {
    [EDIT_FILES.config]: read.config,
    [EDIT_FILES.meta]: read.meta,
    [EDIT_FILES.soul]: read.soul,
  };
  try {
    await snapshotForUndo(
      dir,
      edits.map((edit) => edit.file),
      (file) => previous[file],
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
  return { ok: true, value: { written, reformatted, fingerprint: fingerprint(await readProfileTexts(dir)) } };
}
