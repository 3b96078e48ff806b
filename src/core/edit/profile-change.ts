// One line of an edit's change list: what Review shows before Apply, what `apply --dry-run` prints.
export type ChangeKind = "added" | "removed" | "changed";

export interface ProfileChange {
  readonly kind: ChangeKind;
  /** What changes, as a person names it: "model", "MCP server 'docs'", "built-in skill 'git-workflow'". */
  readonly what: string;
  /** For a change: from → to, or which fields; never a secret (config.yaml holds only references). */
  readonly detail?: string;
}

const MARK: Record<ChangeKind, string> = { added: "+", removed: "-", changed: "~" };

export function changeLine(change: ProfileChange): string {
  return `${MARK[change.kind]} ${change.what} ${change.kind}${change.detail ? `: ${change.detail}` : ""}`;
}

export const NO_CHANGES = "No changes: the profile already matches.";
