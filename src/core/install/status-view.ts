// The one status message of a create's installs: a progress bar, a line per skill, and Cancel /
// Retry while they apply. A neutral View, so every adapter renders it like a wizard screen.
import type { View, ViewButton } from "../view.ts";
import {
  isGroupFinished,
  isJobFinished,
  RETRYABLE_STATUSES,
  type InstallGroup,
  type InstallJob,
} from "./install-job.ts";
import { encodeInstallToken } from "../tokens/install-token.ts";

export const PROGRESS_BAR_CELLS = 10;

const PHASE_MARK: Readonly<Record<InstallJob["phase"], string>> = {
  queued: "…",
  fetching: "⇣",
  quarantined: "⇣",
  scanning: "🔍",
  installing: "⇢",
  installed: "✓",
  "already installed": "✓",
  blocked: "⛔",
  "could not fetch": "✗",
  failed: "✗",
  "timed out": "⏱",
  canceled: "⊘",
  interrupted: "↯",
};

export function progressBar(done: number, total: number): string {
  const filled = total === 0 ? PROGRESS_BAR_CELLS : Math.round((done / total) * PROGRESS_BAR_CELLS);
  return `${"▰".repeat(filled)}${"▱".repeat(PROGRESS_BAR_CELLS - filled)} ${done}/${total}`;
}

function jobLine(job: InstallJob): string {
  const detail = job.detail ? ` — ${job.detail}` : "";
  return `${PHASE_MARK[job.phase]} ${job.identifier}: ${job.phase}${detail}`;
}

/** Key names shown on the status message at most; the rest are counted. */
export const SKILL_KEYS_SHOWN_MAX = 10;
/** A key name is cut to this many characters (a hub SKILL.md names them, and Hermes sets no bound). */
export const SKILL_KEY_SHOWN_MAX_CHARS = 64;

function keysLines(group: InstallGroup): string[] {
  const missing = group.skillKeysMissing;
  const where = `/profile keys ${group.profile} lists them, /profile edit ${group.profile} sets them.`;
  if (missing === undefined)
    return [`A hub skill may declare keys of its own: /profile keys ${group.profile} lists any not set yet.`];
  if (missing.length === 0) return [];
  const names = missing
    .slice(0, SKILL_KEYS_SHOWN_MAX)
    .map((name) =>
      name.length > SKILL_KEY_SHOWN_MAX_CHARS ? `${name.slice(0, SKILL_KEY_SHOWN_MAX_CHARS)}…` : name,
    );
  const more =
    missing.length > SKILL_KEYS_SHOWN_MAX ? ` and ${missing.length - SKILL_KEYS_SHOWN_MAX} more` : "";
  return [
    `Skill keys not set yet (the skills need setup until they are): ${names.join(", ")}${more}. ${where}`,
  ];
}

export function renderInstallStatus(group: InstallGroup): View {
  const ended = group.jobs.filter(isJobFinished).length;
  const finished = isGroupFinished(group);
  const buttons: ViewButton[] = [];
  if (!finished)
    buttons.push({
      label: "Cancel installs",
      token: encodeInstallToken(group.id, "cancel"),
      style: "danger",
    });
  if (group.jobs.some((job) => RETRYABLE_STATUSES.includes(job.status))) {
    buttons.push({ label: "Retry failed", token: encodeInstallToken(group.id, "retry") });
  }
  const installed = group.jobs.filter((job) => job.status === "done").length;
  return {
    sessionId: group.id,
    rev: 0,
    title: `Hub skills for '${group.profile}'`,
    body: [
      progressBar(ended, group.jobs.length),
      ...group.jobs.map(jobLine),
      ...(finished ? [`Finished: ${installed} installed, ${group.jobs.length - installed} not.`] : []),
      // A hub skill's SKILL.md is known only now, so its keys could not be asked in the wizard.
      ...(finished && installed > 0 ? keysLines(group) : []),
    ],
    buttons: buttons.length > 0 ? [buttons] : [],
    final: finished && buttons.length === 0,
  };
}
