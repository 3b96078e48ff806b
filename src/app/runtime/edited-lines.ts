// What the editor's last screen says after Apply: what was written, what was copied or is being
// installed, the keys still missing, and when Hermes sees the change.
import { changeLine } from "../../core/edit/profile-change.ts";
import type { EditApplied } from "../ports/profile-edit.ts";

export function editedLines(profile: string, applied: EditApplied): string[] {
  return [
    `Applied to profile '${profile}': ${applied.written.join(", ") || "no file needed writing"}.`,
    ...applied.changes.map((change) => `  ${changeLine(change)}`),
    ...applied.copied.map((id) => `  optional skill ${id}: copied`),
    ...applied.copyFailures.map((failure) => `  optional skill ${failure}: failed`),
    ...(applied.installs.length > 0
      ? [`Installing ${applied.installs.length} hub skill(s); progress follows.`]
      : []),
    ...applied.missingKeys.map(
      (key) =>
        `${key} is not set yet: blueprint key set ${profile} ${key} (or Hermes takes it from its shell).`,
    ),
    ...applied.notes.map((note) => `Note: ${note}`),
    ...(applied.written.length > 0
      ? ["A running Hermes reads these files when a session starts: new sessions (and /new) get the change."]
      : []),
  ];
}
