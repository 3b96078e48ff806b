// What the chat editor's Review shows: the draft as the user left it against the draft the profile
// was read into, one line per change, and the blueprint keys that changed (Apply matches only
// those, so a part the user did not touch is never rewritten).
import { sameValue } from "./current-profile.ts";
import type { ProfileChange } from "./profile-change.ts";
import type { Draft } from "../wizard/state.ts";

export interface DraftChanges {
  readonly changes: ProfileChange[];
  readonly keys: string[];
}

export function draftChanges(original: Draft, draft: Draft): DraftChanges {
  const changes: ProfileChange[] = [];
  const keys = new Set<string>();
  for (const [key, what] of [
    ["display_name", "display name"],
    ["description", "description"],
  ] as const) {
    const before = original[key];
    const after = draft[key];
    if (before === after) continue;
    keys.add(key);
    changes.push(
      after === undefined
        ? { kind: "removed", what }
        : before === undefined
          ? { kind: "added", what, detail: `'${after}'` }
          : { kind: "changed", what, detail: `'${before}' → '${after}'` },
    );
  }

  if (draft.soul !== undefined && draft.soul !== original.soul) {
    keys.add("soul");
    changes.push({
      kind: original.soul === undefined ? "added" : "changed",
      what: "identity text (SOUL.md)",
      detail: `${draft.soul.length} characters`,
    });
  }

  const model = (d: Draft) => (d.provider && d.model ? `${d.provider}/${d.model}` : undefined);
  if (
    model(draft) !== undefined &&
    (model(draft) !== model(original) || draft.base_url !== original.base_url)
  ) {
    keys.add("model");
    changes.push({
      kind: model(original) ? "changed" : "added",
      what: "model",
      detail: `${model(original) ?? "not set"} → ${model(draft) ?? ""}${draft.base_url && draft.base_url !== original.base_url ? ` (${draft.base_url})` : ""}`,
    });
  }

  const skillsBefore = changes.length;
  if (draft.noBuiltins !== original.noBuiltins)
    changes.push({
      kind: draft.noBuiltins ? "removed" : "added",
      what: "built-in skills",
      detail: draft.noBuiltins ? "all switched off" : "switched on",
    });
  listDiff(changes, original.builtinOff, draft.builtinOff, (id, off) => ({
    kind: off ? "removed" : "added",
    what: `built-in skill '${id}'`,
    detail: off ? "switched off" : "switched on",
  }));
  listDiff(
    changes,
    original.optional,
    draft.optional,
    (id, removed) => ({
      kind: removed ? "removed" : "added",
      what: `optional skill '${id}'`,
      ...(removed ? { detail: "switched off" } : { detail: "copied in on Apply" }),
    }),
    true,
  );
  listDiff(
    changes,
    original.hub,
    draft.hub,
    (id, removed) => ({
      kind: removed ? "removed" : "added",
      what: `skill '${id}'`,
      ...(removed ? { detail: "switched off" } : { detail: "installed after Apply" }),
    }),
    true,
  );
  if (changes.length > skillsBefore) keys.add("skills");

  const servers = (d: Draft) => new Map(d.mcp.map((server) => [server.name, server]));
  const before = servers(original);
  const after = servers(draft);
  for (const [name, server] of after) {
    const old = before.get(name);
    if (!old) changes.push({ kind: "added", what: `MCP server '${name}'` });
    else if (!sameValue(old, server)) changes.push({ kind: "changed", what: `MCP server '${name}'` });
  }
  for (const name of before.keys())
    if (!after.has(name)) changes.push({ kind: "removed", what: `MCP server '${name}'` });
  if (!sameValue([...before.entries()].sort(), [...after.entries()].sort())) keys.add("mcp_servers");

  // Toolsets: absent means "as the profile has them"; a list is one set for every platform.
  if (draft.toolsets !== undefined) {
    const sorted = (list: readonly string[]) => [...new Set(list)].sort();
    const now = sorted(draft.toolsets);
    const was = original.toolsets === undefined ? undefined : sorted(original.toolsets);
    if (was === undefined || !sameValue(was, now)) {
      keys.add("toolsets");
      const shown = (list: readonly string[]) => (list.length === 0 ? "none" : list.join(", "));
      changes.push({
        kind: "changed",
        what: "toolsets on every platform",
        detail: `${was === undefined ? "differing by platform" : shown(was)} → ${shown(now)}`,
      });
    }
  }

  // Delegate mode writes nothing into a profile, so it counts as no persona here.
  const active = (d: Draft) => (d.persona?.mode === "overlay" ? d.persona.id : undefined);
  const was = active(original);
  const now = active(draft);
  if (was !== now) {
    keys.add("persona");
    changes.push(
      now === undefined
        ? { kind: "removed", what: `persona '${was ?? ""}'` }
        : was === undefined
          ? { kind: "added", what: `persona '${now}'` }
          : { kind: "changed", what: "persona", detail: `${was} → ${now}` },
    );
  }
  return { changes, keys: [...keys] };
}

/**
 * One line per entry that is in one list and not the other. `inverted` lists hold what is on
 * (optional, hub); the built-in list holds what is off.
 */
function listDiff(
  changes: ProfileChange[],
  before: readonly string[],
  after: readonly string[],
  line: (id: string, flag: boolean) => ProfileChange,
  inverted = false,
): void {
  for (const id of after) if (!before.includes(id)) changes.push(line(id, !inverted));
  for (const id of before) if (!after.includes(id)) changes.push(line(id, inverted));
}
