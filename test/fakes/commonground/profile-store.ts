// The state behind the fake: projects, and per project the profiles as the real v1r4 server keeps
// them: one row per exact name (an upload of the same name overwrites it with a new box id and
// time; a case variant is a second row), looked up and deleted case-insensitively.
import { randomBytes } from "node:crypto";
import type { Card } from "./profile-rules.ts";

export interface Project {
  readonly project_id: string;
  readonly title: string;
  readonly status: "active";
  readonly owner_id: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** The Profile object of the API: exactly these fields, never the rest of the card. */
export interface Profile {
  readonly project_id: string;
  readonly profile_box_id: string;
  readonly name: string;
  readonly worker_target: string;
  readonly tags: string[];
  readonly system_prompt_compiled: string;
  readonly updated_at: string;
}

interface Row {
  readonly profile: Profile;
  readonly card: Card;
}

export class ProfileStore {
  readonly #projects = new Map<string, Project>();
  readonly #rows = new Map<string, Row[]>();
  #lastMicros = 0;

  hasProject(projectId: string): boolean {
    return this.#projects.has(projectId);
  }

  /** The new project, or undefined when the id is taken. */
  addProject(fields: { project_id: string; title: string; owner_id: string }): Project | undefined {
    if (this.#projects.has(fields.project_id)) return undefined;
    const now = this.#timestamp();
    const project: Project = { ...fields, status: "active", created_at: now, updated_at: now };
    this.#projects.set(project.project_id, project);
    this.#rows.set(project.project_id, []);
    return project;
  }

  /** Stores a card under its exact name: overwrites that name, or adds a row (even for a case variant). */
  upload(projectId: string, card: Card): Profile {
    const rows = this.#rowsOf(projectId);
    const profile: Profile = {
      project_id: projectId,
      profile_box_id: uuid7(),
      name: card["name"] as string,
      worker_target: card["worker_target"] as string,
      tags: [...(card["tags"] as string[])],
      system_prompt_compiled: card["system_prompt_template"] as string,
      updated_at: this.#timestamp(),
    };
    const row = { profile, card: structuredClone(card) };
    const index = rows.findIndex((candidate) => candidate.profile.name === profile.name);
    if (index >= 0) rows[index] = row;
    else rows.push(row);
    return profile;
  }

  /** Ordered by lower-cased name; case variants of one name come in no defined order (shuffled here). */
  list(projectId: string): Profile[] {
    const rows = shuffle([...this.#rowsOf(projectId)]);
    const keyed = rows.map((row) => ({ row, key: row.profile.name.toLowerCase() }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return keyed.map(({ row }) => row.profile);
  }

  /** One of the profiles whose name matches case-insensitively: any one, as the real server picks. */
  find(projectId: string, name: string): Profile | undefined {
    return shuffle(this.#matching(projectId, name))[0]?.profile;
  }

  /** Deletes every case variant of `name`; how many there were. */
  delete(projectId: string, name: string): number {
    const rows = this.#rowsOf(projectId);
    const doomed = new Set(this.#matching(projectId, name));
    this.#rows.set(
      projectId,
      rows.filter((row) => !doomed.has(row)),
    );
    return doomed.size;
  }

  cards(projectId: string): Card[] {
    return this.#rowsOf(projectId).map((row) => structuredClone(row.card));
  }

  #matching(projectId: string, name: string): Row[] {
    const wanted = name.toLowerCase();
    return this.#rowsOf(projectId).filter((row) => row.profile.name.toLowerCase() === wanted);
  }

  #rowsOf(projectId: string): Row[] {
    return this.#rows.get(projectId) ?? [];
  }

  /** ISO-8601 in UTC with microseconds and "Z"; strictly increasing, so an overwrite always moves it. */
  #timestamp(): string {
    this.#lastMicros = Math.max(Date.now() * 1000, this.#lastMicros + 1);
    const iso = new Date(Math.floor(this.#lastMicros / 1000)).toISOString();
    return `${iso.slice(0, 19)}.${String(this.#lastMicros % 1_000_000).padStart(6, "0")}Z`;
  }
}

/** A UUID version 7: 48 bits of Unix milliseconds, then random bits, version and variant set. */
export function uuid7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}
