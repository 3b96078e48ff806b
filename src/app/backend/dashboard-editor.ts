// Editing a profile on a Hermes host through its dashboard API: read (dashboard-edit-read.ts), plan
// the same way as on this machine (plan-profile-edit.ts), then write part by part through the
// endpoints Hermes has — SOUL.md (PUT …/soul), the description (PUT …/description), config.yaml
// whole (PUT /api/config/raw, which Hermes writes atomically), then the keys (PUT/DELETE /api/env).
// What the dashboard cannot do is said before Apply: display_name has no endpoint, hub skills are
// known by name only, and Hermes writes config.yaml anew (its comments are not kept).
//
// There is no compare-and-set on the host: Apply reads the profile again and refuses when its
// fingerprint moved, which narrows the race with another writer to the time of the writes. A host
// that stops answering mid-apply leaves the parts already written; the reply names them, and the
// ones never sent. Undo keeps the old texts in this process (at most HOST_UNDO_MAX profiles): it
// does not survive a restart of the bot.
import { editYamlText } from "../../core/edit/yaml-splice.ts";
import type { DashboardClient, DashboardListing } from "../hermes/dashboard-client.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import type { Outcome } from "../ports/outcome.ts";
import type { EditApplied, EditRead, EditRequest } from "../ports/profile-edit.ts";
import { HERMES_CONFIG_VERSION } from "../profile/hermes-defaults.ts";
import { planProfileEdit } from "../profile/edit/plan-profile-edit.ts";
import { KeyedSerial } from "../runtime/keyed-serial.ts";
import {
  HOST_UNDOABLE,
  hostCurrent,
  hostFingerprint,
  hostPartsChanged,
  readHostProfile,
  type HostProfile,
} from "./dashboard-edit-read.ts";

/** One write of an Apply; a failure whose answer never came is `unread` (it may have happened). */
type WriteOutcome = { ok: true; value: true } | { ok: false; reason: string; unread?: boolean };
interface HostWrite {
  readonly part: string;
  readonly run: () => Promise<WriteOutcome>;
}

/** Profiles whose last Apply can be undone at once (the old texts are held in memory). */
export const HOST_UNDO_MAX = 200;

interface UndoCopy {
  /** The fingerprint the Apply left. */
  readonly after: string;
  readonly config?: string;
  readonly soul?: string;
  readonly description?: string;
}

export interface DashboardEditorSite {
  readonly client: DashboardClient;
  readonly host: string;
  readonly library: LoadedLibrary;
  readonly listProfiles: () => Promise<DashboardListing>;
}

export class DashboardEditor {
  readonly #serial = new KeyedSerial();
  readonly #undo = new Map<string, UndoCopy>();

  constructor(private readonly site: DashboardEditorSite) {}

  async read(name: string): Promise<Outcome<EditRead>> {
    const read = await readHostProfile(this.site, name);
    if (!read.ok) return read;
    const current = hostCurrent(read.value);
    if (!current.ok) return current;
    return {
      ok: true,
      value: {
        current: current.value,
        fingerprint: hostFingerprint(read.value),
        keysSet: [...read.value.keysSet],
        notes: this.#limits(),
      },
    };
  }

  apply(name: string, request: EditRequest): Promise<Outcome<EditApplied>> {
    return this.#serial.run(name, () => this.#apply(name, request));
  }

  undo(name: string, fingerprint: string): Promise<Outcome<string[]>> {
    return this.#serial.run(name, () => this.#undoNow(name, fingerprint));
  }

  /** What an edit on this host cannot do as it does on this machine: said on the editor's Review. */
  #limits(): string[] {
    return [
      `on ${this.site.host}, Hermes' dashboard writes config.yaml anew on Apply: comments in it are not kept`,
      `the display name cannot be changed on ${this.site.host} (Hermes 0.19's dashboard has no endpoint for it)`,
    ];
  }

  async #apply(name: string, request: EditRequest): Promise<Outcome<EditApplied>> {
    const { host } = this.site;
    const read = await readHostProfile(this.site, name);
    if (!read.ok) return read;
    const before = hostFingerprint(read.value);
    if (request.fingerprint !== undefined && before !== request.fingerprint)
      return {
        ok: false,
        reason: `the profile changed on ${host} since the editor read it (${hostPartsChanged(request.fingerprint, before).join(", ") || "its files"}); nothing was written`,
      };
    const current = hostCurrent(read.value);
    if (!current.ok) return current;
    const keys = new Set(request.keys);
    const notes: string[] = [];
    if (keys.delete("display_name") && request.blueprint.display_name)
      notes.push(
        `display name not set: Hermes 0.19's dashboard has no endpoint for profile.yaml's display_name (set it on ${host})`,
      );
    const envNow = new Map<string, string | null>(read.value.keysSet.map((key) => [key, null]));
    const planned = planProfileEdit(current.value, envNow, { ...request, keys }, this.site.library);
    const { plan, env } = planned;
    // Optional skills come from Hermes' own official source on a host, as Create installs them.
    const optional = new Set(plan.copies);
    const result: EditApplied = {
      ...planned.result,
      changes: planned.result.changes.map((change) => {
        const id = /^optional skill '(.+)'$/.exec(change.what)?.[1];
        return id && optional.has(id)
          ? { ...change, detail: "installed from Hermes' official source" }
          : change;
      }),
      installs: [...plan.installs, ...plan.copies.map((id) => `official/${id}`)],
      notes: [...planned.result.notes, ...notes],
    };
    if (request.dryRun || result.changes.length === 0) return { ok: true, value: result };

    const writes = this.#writes(name, read.value, plan, env);
    const done: string[] = [];
    for (const [index, write] of writes.entries()) {
      const outcome = await write.run();
      if (!outcome.ok) {
        const notSent = writes.slice(index + 1).map((later) => later.part);
        // An answer that never came: the request may have reached Hermes all the same.
        const what = outcome.unread
          ? `${write.part} may or may not have been written on ${host} (no answer: ${outcome.reason})`
          : `${write.part} could not be written on ${host} (${outcome.reason})`;
        return {
          ok: false,
          reason: `${what}; ${
            done.length > 0
              ? `already written there: ${done.join(", ")}`
              : "nothing was written there before it"
          }${notSent.length > 0 ? `; not sent: ${notSent.join(", ")}` : ""}`,
        };
      }
      done.push(write.part);
    }
    const written = [...new Set(done.map((part) => (part.startsWith(".env") ? ".env" : part)))];
    const undoable = written.filter((part) => HOST_UNDOABLE.includes(part));
    const after = await readHostProfile(this.site, name);
    const undoFingerprint = after.ok && undoable.length > 0 ? hostFingerprint(after.value) : undefined;
    if (undoFingerprint) this.#keepForUndo(name, read.value, undoable, undoFingerprint);
    return {
      ok: true,
      value: {
        ...result,
        written,
        reformatted: written.includes("config.yaml") ? ["config.yaml"] : [],
        ...(undoFingerprint ? { undoFingerprint } : {}),
      },
    };
  }

  /**
   * Each write of an Apply, in the order they are sent: SOUL.md, description, config.yaml, then the
   * keys — last, because Hermes' .env endpoints rewrite config.yaml themselves (they scrub a key's
   * old value from `model.api_key` and the like), which a config.yaml sent after them, made from
   * the text read before, would undo.
   */
  #writes(
    name: string,
    profile: HostProfile,
    plan: ReturnType<typeof planProfileEdit>["plan"],
    env: ReturnType<typeof planProfileEdit>["env"],
  ): HostWrite[] {
    const { client } = this.site;
    const reason = <T>(
      answer: { ok: true; value: T } | { ok: false; failure: { message: string; unread?: boolean } },
    ): WriteOutcome =>
      answer.ok
        ? { ok: true, value: true }
        : { ok: false, reason: answer.failure.message, ...(answer.failure.unread ? { unread: true } : {}) };
    const writes: HostWrite[] = [];
    const keys: HostWrite[] = [];
    for (const [key, value] of env.set)
      keys.push({ part: `.env ${key}`, run: async () => reason(await client.setEnv(name, key, value)) });
    for (const key of env.delete)
      keys.push({
        part: `.env ${key}`,
        run: async () => {
          const removed = await client.deleteEnv(name, key);
          return !removed.ok && removed.failure.fault === "not found"
            ? { ok: true, value: true }
            : reason(removed);
        },
      });
    if (plan.soul !== undefined && plan.soul !== profile.soul) {
      const soul = plan.soul;
      writes.push({ part: "SOUL.md", run: async () => reason(await client.putSoul(name, soul)) });
    }
    const description = plan.meta.find((edit) => edit.path.length === 1 && edit.path[0] === "description");
    if (description) {
      const text = typeof description.value === "string" ? description.value : "";
      if (text !== profile.description)
        writes.push({
          part: "description",
          run: async () => reason(await client.putDescription(name, text)),
        });
    }
    if (plan.config.length > 0) {
      const edits =
        profile.config.trim() === ""
          ? [{ path: ["_config_version"], value: HERMES_CONFIG_VERSION }, ...plan.config]
          : plan.config;
      const text = editYamlText(profile.config, edits).text;
      if (text !== profile.config)
        writes.push({ part: "config.yaml", run: async () => reason(await client.putRawConfig(name, text)) });
    }
    return [...writes, ...keys];
  }

  #keepForUndo(name: string, before: HostProfile, parts: readonly string[], after: string): void {
    this.#undo.delete(name);
    this.#undo.set(name, {
      after,
      // Hermes refuses an empty text (not a mapping): a profile that had no config.yaml gets an empty one.
      ...(parts.includes("config.yaml")
        ? { config: before.config.trim() === "" ? "{}\n" : before.config }
        : {}),
      ...(parts.includes("SOUL.md") ? { soul: before.soul ?? "" } : {}),
      ...(parts.includes("description") ? { description: before.description } : {}),
    });
    // The oldest copy goes first (a Map keeps insertion order).
    while (this.#undo.size > HOST_UNDO_MAX) {
      const oldest = this.#undo.keys().next().value;
      if (oldest === undefined) break;
      this.#undo.delete(oldest);
    }
  }

  async #undoNow(name: string, fingerprint: string): Promise<Outcome<string[]>> {
    const { client, host } = this.site;
    const copy = this.#undo.get(name);
    if (!copy || copy.after !== fingerprint)
      return {
        ok: false,
        reason: `nothing to undo here any more (the bot keeps the last edit of a profile on ${host} only until it restarts)`,
      };
    const now = await readHostProfile(this.site, name);
    if (!now.ok) return now;
    const moved = hostPartsChanged(fingerprint, hostFingerprint(now.value)).filter((part) =>
      HOST_UNDOABLE.includes(part),
    );
    if (moved.length > 0)
      return {
        ok: false,
        reason: `the profile changed on ${host} after that Apply (${moved.join(", ")}); nothing was undone. Use /profile edit to change it back`,
      };
    const restored: string[] = [];
    const steps: [string, string | undefined, (text: string) => ReturnType<DashboardClient["putSoul"]>][] = [
      ["config.yaml", copy.config, (text) => client.putRawConfig(name, text)],
      ["SOUL.md", copy.soul, (text) => client.putSoul(name, text)],
      ["description", copy.description, (text) => client.putDescription(name, text)],
    ];
    for (const [part, text, put] of steps) {
      if (text === undefined) continue;
      const answer = await put(text);
      if (!answer.ok)
        return {
          ok: false,
          reason: `${part} could not be put back on ${host} (${answer.failure.message}); ${
            restored.length > 0 ? `put back already: ${restored.join(", ")}` : "nothing was put back"
          }`,
        };
      restored.push(part);
    }
    this.#undo.delete(name);
    return { ok: true, value: restored };
  }
}
