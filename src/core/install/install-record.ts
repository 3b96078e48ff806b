// Whether an install happened is judged by the profile's own record of hub installs (Hermes'
// skills/.hub/lock.json, or what a Hermes host lists of it), never by what the installer printed:
// an installer that says "Could not fetch 'X'" and then "Installed: <a skill already there>" has
// installed nothing. An install of X is done only when the record for X appeared or changed
// during the run. "For X" means the entry Hermes writes when it installs X, which is not always X
// as typed (Hermes 0.19, tools/skills_hub.py; checked against the real Hermes):
//   official/<path>          → official/<the skill's folder in Hermes' tree>, source "official";
//                              Hermes' official source answers first for any identifier whose
//                              last segment names a skill of its tree, so `someone/repo/<name>`
//                              may be recorded as official/<category>/<name> too
//   <owner>/<repo>/<path>    → as typed (source "github", or the index's source) — or, online,
//                              skills-sh/<as typed> (source "skills.sh"): Hermes asks its skills.sh
//                              source before its GitHub one, and that source fetches any GitHub
//                              path and records it under its own prefix
//   skills-sh/… skills.sh/…  → skills-sh/<owner>/<repo>/<skill> (source "skills.sh")
//   well-known:<url>         → well-known:<base>/<name> (index.json#<name> and …/SKILL.md resolved)
//   an https://…/SKILL.md    → as typed, trimmed (source "url")

/** One hub install as the profile's record holds it. */
export interface InstallRecord {
  /** The skill's name: its key in lock.json. */
  readonly name: string;
  /** The identifier it was installed from; a record without it (a host's listing) is matched by name. */
  readonly identifier?: string;
  readonly source?: string;
  /** What changes when the skill is installed again (its time and content hash), when the record says. */
  readonly version?: string;
}

export type InstallRecords = readonly InstallRecord[];

/** The profile's record around one run: `before` undefined when it could not be read then. */
export interface RecordsAround {
  readonly before: InstallRecords | undefined;
  /** After the run; a string says why it could not be read. */
  readonly after: InstallRecords | string;
}

export type RecordVerdict =
  /** The record of the requested install appeared or changed during the run. */
  | { readonly kind: "installed"; readonly record: InstallRecord }
  /** It was there before the run and is unchanged: only "already installed" is true of it. */
  | { readonly kind: "unchanged"; readonly record: InstallRecord }
  | { readonly kind: "absent" };

const SKILLS_SH_ALIASES = ["skills-sh/", "skills.sh/", "skils-sh/", "skils.sh/"];
const WELL_KNOWN_PREFIX = "well-known:";
const WELL_KNOWN_PATH = "/.well-known/skills/";

/** Whether `record` is what Hermes writes when it installs `requested` (the forms above). */
export function isRecordOf(requested: string, record: InstallRecord): boolean {
  const wanted = requested.trim();
  const recorded = record.identifier;
  if (recorded === undefined) return false;
  if (recorded === wanted) return true;
  if (record.source === "official" && recorded.startsWith("official/"))
    return lastSegment(recorded) === lastSegment(wanted);
  const alias = SKILLS_SH_ALIASES.find((prefix) => wanted.startsWith(prefix));
  if (alias) return recorded === `skills-sh/${wanted.slice(alias.length)}`;
  const wellKnown = wellKnownRecord(wanted);
  if (wellKnown !== undefined) return recorded === wellKnown;
  // A GitHub path that Hermes' skills.sh source fetched first.
  return isGithubPath(wanted) && recorded === `skills-sh/${wanted}`;
}

/**
 * The skill name an identifier installs as, for a record that has a name only (a Hermes host lists
 * a profile's hub skills by name, not by where they came from): the identifier's last segment, or
 * a well-known index's `#name`, or the folder of a `…/<name>/SKILL.md` URL.
 */
export function skillNameOf(requested: string): string {
  const wanted = requested.trim();
  const hash = wanted.indexOf("#");
  if (hash >= 0) return wanted.slice(hash + 1);
  return lastSegment(wanted.replace(/\/SKILL\.md$/, "").replace(/\/+$/, ""));
}

/** Whether `record` stands for `requested`: by identity, or by name when the record has no identifier. */
export function isRecordOrNameOf(requested: string, record: InstallRecord): boolean {
  return record.identifier === undefined
    ? skillNameOf(requested) === record.name
    : isRecordOf(requested, record);
}

/**
 * How the run changed the record of `requested`. Records with identifiers are matched by identity;
 * a host's listing (names only) by the name the installer reported.
 */
export function judgeRecords(
  requested: string,
  reportedName: string | undefined,
  around: { readonly before: InstallRecords | undefined; readonly after: InstallRecords },
): RecordVerdict {
  const matches = (record: InstallRecord) =>
    record.identifier !== undefined
      ? isRecordOf(requested, record)
      : reportedName !== undefined && record.name === reportedName;
  const candidates = around.after.filter(matches);
  for (const record of candidates) {
    const earlier = around.before?.find((old) => old.name === record.name && matches(old));
    if (!earlier || earlier.version !== record.version) return { kind: "installed", record };
  }
  const unchanged = candidates[0];
  return unchanged ? { kind: "unchanged", record: unchanged } : { kind: "absent" };
}

function lastSegment(identifier: string): string {
  return identifier.split("/").at(-1) ?? "";
}

/** Hermes' well-known source: the identifier it records for a well-known URL, if `wanted` is one. */
function wellKnownRecord(wanted: string): string | undefined {
  const raw = wanted.startsWith(WELL_KNOWN_PREFIX) ? wanted.slice(WELL_KNOWN_PREFIX.length) : wanted;
  if (!/^https?:\/\//.test(raw)) return undefined;
  const hash = raw.indexOf("#");
  const url = hash >= 0 ? raw.slice(0, hash) : raw;
  const fragment = hash >= 0 ? raw.slice(hash + 1) : "";
  if (url.endsWith("/index.json")) {
    return fragment ? `${WELL_KNOWN_PREFIX}${url.slice(0, -"/index.json".length)}/${fragment}` : undefined;
  }
  const skillUrl = url.endsWith("/SKILL.md") ? url.slice(0, -"/SKILL.md".length) : url.replace(/\/+$/, "");
  if (!skillUrl.includes(WELL_KNOWN_PATH)) return undefined;
  return `${WELL_KNOWN_PREFIX}${skillUrl}`;
}

/** `<owner>/<repo>/<path>`: what Hermes' GitHub and skills.sh sources both take. */
function isGithubPath(identifier: string): boolean {
  return (
    !identifier.includes(":") && !identifier.startsWith("official/") && identifier.split("/").length >= 3
  );
}
