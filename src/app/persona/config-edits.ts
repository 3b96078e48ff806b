// How a persona command edits a profile's config.yaml through the backend: read, change, write back,
// one edit at a time per profile. Every command that writes (apply, clear, sync, a button press)
// goes through here so two of them never interleave their read and write, and a write the backend
// refuses ends the command with its reason before anything is recorded: on this machine that
// includes config.yaml changed since it was read (an editor's Apply or `hermes config set` meanwhile).
import type { Document } from "yaml";
import { refusal, type Reply } from "../../core/reply.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import { shownProfile } from "../profile/chat-profile.ts";
import { KeyedSerial } from "../runtime/keyed-serial.ts";
import { snapshot } from "./profile-config.ts";

/** A config write the backend refused: the command answers with its reason. */
class WriteRefused extends Error {}

export class ConfigEdits {
  readonly #perProfile = new KeyedSerial();

  constructor(private readonly backend: ProfileBackend) {}

  /**
   * Reads a profile's config.yaml and hands it to `work`, one edit at a time per profile so two
   * applies never interleave their read and write; an unreadable config is refused, unchanged.
   */
  run(profile: string, work: (config: { doc: Document }) => Promise<Reply>): Promise<Reply> {
    return this.#perProfile.run(profile, async () => {
      const read = await this.backend.readConfig(profile);
      if (!read.ok) return refusal(`Profile ${shownProfile(this.backend, profile)}: ${read.reason}.`);
      try {
        return await work(read.value);
      } catch (error) {
        if (error instanceof WriteRefused) return refusal(error.message);
        throw error;
      }
    });
  }

  /** Writes config.yaml back; a refusal ends the command with the backend's reason (nothing recorded). */
  async save(profile: string, doc: Document): Promise<void> {
    const written = await this.backend.writeConfig(profile, { doc });
    if (!written.ok)
      throw new WriteRefused(`Profile ${shownProfile(this.backend, profile)}: ${written.reason}`);
  }
}

/** The values at these config paths, keyed by the joined path: what an Undo puts back. */
export function snapshots(doc: Document, paths: readonly (readonly string[])[]): Record<string, unknown> {
  return Object.fromEntries(paths.map((keys) => [keys.join("."), snapshot(doc, keys)]));
}
