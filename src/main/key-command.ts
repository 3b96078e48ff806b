// `blueprint key list | set | delete <profile> …`: a profile's keys from the command line, in this
// machine's Hermes home or on a Hermes host (HERMES_URL / HERMES_HOSTS, through its dashboard's
// .env endpoints). A value is read from stdin (without echo at a terminal), never from
// the arguments, and never printed: it goes into the profile's .env and nowhere else.
import type { Command } from "commander";
import { safeOutboundText, type Redactor } from "../adapters/shared/outbound-text.ts";
import {
  checkKeyName,
  checkKeyValue,
  deleteProfileKey,
  setProfileKey,
} from "../app/profile/keys/env-edit.ts";
import { keyLines } from "../app/profile/keys/key-lines.ts";
import { keyProfileDir } from "../app/profile/keys/key-profile-dir.ts";
import { readProfileKeys } from "../app/profile/keys/needed-keys.ts";
import { EXIT, StartupError } from "../app/system/exit.ts";
import { loadSetup, type Setup } from "./load-setup.ts";
import { openBackend } from "./open-backend.ts";
import { blueprintSchema, DEFAULT_PROFILE } from "../core/blueprint.ts";
import type { ProfileBackend, ProfileKeys } from "../app/ports/profile-backend.ts";
import { readPiped, readHidden } from "./key-value-input.ts";

/** A line for the terminal, made safe as cli.ts makes its prints (no escapes, no known secret). */
function writeLine(stream: NodeJS.WritableStream, secrets: Redactor | undefined): (line: string) => void {
  return (line) => void stream.write(`${safeOutboundText(line, secrets)}\n`);
}

/** Where a profile's keys live: its folder in this machine's Hermes home, or a Hermes host. */
type KeyPlace =
  | { readonly kind: "local"; readonly dir: string; readonly shown: string }
  | {
      readonly kind: "host";
      readonly backend: ProfileBackend;
      readonly name: string;
      readonly shown: string;
    };

/**
 * The profile's place: with HERMES_URL / HERMES_HOSTS its host (a `<host>:<name>` picks one of
 * several), reached through the dashboard's .env endpoints; otherwise its local folder.
 */
async function keyPlace(setup: Setup, profile: string): Promise<KeyPlace> {
  const { config } = setup;
  if (config.remoteHermes || config.hermesHosts) {
    const backend = openBackend(setup);
    const ref = backend.resolve(profile);
    if (!ref.ok) throw new StartupError(ref.reason, EXIT.badInput);
    if (backend.where(ref.value).name === DEFAULT_PROFILE)
      throw new StartupError(
        "'default' is the Hermes home itself; on a Hermes host its keys are set on the host.",
        EXIT.badInput,
      );
    const known = await backend.exists(ref.value);
    if (!known.ok) throw new StartupError(known.reason, EXIT.failed);
    if (!known.value) throw new StartupError(`There is no profile '${profile}'.`, EXIT.badInput);
    const { name, on } = backend.where(ref.value);
    return { kind: "host", backend, name: ref.value, shown: `profile '${name}'${on}` };
  }
  const dir = await keyProfileDir(config.hermesHome, config.profilesRoot, profile);
  if (!dir.ok) throw new StartupError(dir.reason, EXIT.badInput);
  return { kind: "local", dir: dir.value, shown: `${dir.value}/.env` };
}

/** The keys a profile needs, wherever it is. */
async function placeKeys(place: KeyPlace, setup: Setup): Promise<ProfileKeys & { notes: readonly string[] }> {
  if (place.kind === "local") return readProfileKeys(place.dir, setup.library.catalog);
  const keys = await place.backend.keys(place.name);
  if (!keys.ok) throw new StartupError(keys.reason, EXIT.failed);
  return { ...keys.value, notes: keys.notes ?? [] };
}

/** A key set or deleted on a host: an edit of no blueprint part, only of .env (dashboard-editor.ts). */
async function editHostKey(
  place: Extract<KeyPlace, { kind: "host" }>,
  change: { set?: readonly [string, string]; delete?: string },
): Promise<{ kind: "added" | "changed" | "removed" } | undefined> {
  const edited = await place.backend.applyEdit(place.name, {
    blueprint: blueprintSchema.parse({ name: place.backend.where(place.name).name }),
    keys: new Set(),
    secrets: new Map(change.set ? [change.set] : []),
    ...(change.delete ? { deleteKeys: [change.delete] } : {}),
  });
  if (!edited.ok) throw new StartupError(`Nothing was changed: ${edited.reason}.`, EXIT.failed);
  return edited.value.changes[0];
}

export function registerKeyCommand(program: Command): void {
  const key = program
    .command("key")
    .description(
      "A profile's keys in its .env (on this machine or a Hermes host): list them, set one (value from stdin), delete one",
    );

  key
    .command("list")
    .description(
      "List the keys a profile needs (provider, MCP servers, skills), set or not set; never a value",
    )
    .argument("<profile>", "the profile (`default` is the Hermes home itself)")
    .action(async (profile: string) => {
      const setup = await loadSetup();
      const out = writeLine(process.stdout, setup.secrets);
      const place = await keyPlace(setup, profile);
      const keys = await placeKeys(place, setup);
      out(
        place.kind === "local"
          ? `Keys of profile '${profile.trim().toLowerCase()}' (${place.dir}):`
          : `Keys of ${place.shown}:`,
      );
      for (const line of [...keyLines(keys), ...keys.notes]) out(line);
      process.exitCode = EXIT.ok;
    });

  key
    .command("set")
    .description(
      "Set a key in a profile's .env; the value is read from stdin (typed without echo, or piped), never from the arguments",
    )
    .argument("<profile>", "the profile (`default` is the Hermes home itself)")
    .argument("<KEY>", "the variable, UPPER_SNAKE_CASE, e.g. OPENROUTER_API_KEY")
    .action(async (profile: string, name: string) => {
      // The name is checked before the value is asked for: no one types a key for a name that will be refused.
      const { setup, out, place, keyName } = await keyTarget(profile, name);
      const stdin = process.stdin;
      const raw = stdin.isTTY
        ? await readHidden(stdin, process.stderr, `Value for ${keyName} (not shown; Enter to finish): `)
        : await readPiped(stdin);
      const value = checkKeyValue(raw);
      if (!value.ok) throw new StartupError(`${value.reason} Nothing was changed.`, EXIT.badInput);
      // Redacted from everything printed from here on, should anything quote it.
      setup.secrets.add(value.value);
      if (place.kind === "local") {
        const set = await setProfileKey(place.dir, keyName, value.value);
        if (!set.ok) throw new StartupError(set.reason, EXIT.failed);
        out(`${set.value.replaced ? "Replaced" : "Added"} ${set.value.key} in ${place.dir}/.env.`);
      } else {
        const change = await editHostKey(place, { set: [keyName, value.value] });
        out(`${change?.kind === "changed" ? "Replaced" : "Added"} ${keyName} in the .env of ${place.shown}.`);
      }
      // On a host the full listing reads every skill's SKILL.md over the network: not for a note.
      if (place.kind === "host") {
        process.exitCode = EXIT.ok;
        return;
      }
      const keys = await placeKeys(place, setup);
      if (!keys.needed.some((entry) => entry.key === keyName))
        out(
          `Note: nothing in the profile asks for ${keyName} (blueprint key list ${profile} shows what does).`,
        );
      process.exitCode = EXIT.ok;
    });

  key
    .command("delete")
    .description(
      "Delete a key's line from a profile's .env (Hermes then takes it from the shell it runs in, if set there)",
    )
    .argument("<profile>", "the profile (`default` is the Hermes home itself)")
    .argument("<KEY>", "the variable, e.g. OPENROUTER_API_KEY")
    .action(async (profile: string, name: string) => {
      const { out, place, keyName } = await keyTarget(profile, name);
      if (place.kind === "host") {
        const change = await editHostKey(place, { delete: keyName });
        out(
          change
            ? `Deleted ${keyName} from the .env of ${place.shown}.`
            : `${keyName} is not set in the .env of ${place.shown}; nothing was changed.`,
        );
        process.exitCode = EXIT.ok;
        return;
      }
      const deleted = await deleteProfileKey(place.dir, keyName);
      if (!deleted.ok) throw new StartupError(deleted.reason, EXIT.failed);
      out(
        deleted.value.removed > 0
          ? `Deleted ${deleted.value.key} from ${place.dir}/.env.`
          : `${deleted.value.key} is not set in ${place.dir}/.env; nothing was changed.`,
      );
      process.exitCode = EXIT.ok;
    });
}

/** `key set` and `key delete`: the setup, the profile's folder and the key name, checked. */
async function keyTarget(profile: string, name: string) {
  const setup = await loadSetup();
  const out = writeLine(process.stdout, setup.secrets);
  const checked = checkKeyName(name);
  if (!checked.ok) throw new StartupError(`${checked.reason} Nothing was changed.`, EXIT.badInput);
  const place = await keyPlace(setup, profile);
  return { setup, out, place, keyName: checked.value };
}
