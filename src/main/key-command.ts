// `blueprint key list | set | delete <profile> …`: a profile's keys from the command line, on this
// machine's Hermes home only. A value is read from stdin (without echo at a terminal), never from
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
import { readPiped, readHidden } from "./key-value-input.ts";

/** A line for the terminal, made safe as cli.ts makes its prints (no escapes, no known secret). */
function writeLine(stream: NodeJS.WritableStream, secrets: Redactor | undefined): (line: string) => void {
  return (line) => void stream.write(`${safeOutboundText(line, secrets)}\n`);
}

/** The local Hermes home's folder of a profile; a Hermes host is refused (not supported yet). */
async function localProfile(setup: Setup, profile: string): Promise<string> {
  const { config } = setup;
  if (config.remoteHermes || config.hermesHosts)
    throw new StartupError(
      "Keys on a Hermes host (HERMES_URL / HERMES_HOSTS) are not supported by `blueprint key` yet: it edits the .env of a profile in this machine's HERMES_HOME. Unset HERMES_URL and HERMES_HOSTS to work on a local Hermes home, or edit the key on the host itself.",
      EXIT.badInput,
    );
  const dir = await keyProfileDir(config.hermesHome, config.profilesRoot, profile);
  if (!dir.ok) throw new StartupError(dir.reason, EXIT.badInput);
  return dir.value;
}

export function registerKeyCommand(program: Command): void {
  const key = program
    .command("key")
    .description(
      "A profile's keys in its .env on this machine: list them, set one (value from stdin), delete one",
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
      const dir = await localProfile(setup, profile);
      const keys = await readProfileKeys(dir, setup.library.catalog);
      out(`Keys of profile '${profile.trim().toLowerCase()}' (${dir}):`);
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
      const { setup, out, dir, keyName } = await keyTarget(profile, name);
      const stdin = process.stdin;
      const raw = stdin.isTTY
        ? await readHidden(stdin, process.stderr, `Value for ${keyName} (not shown; Enter to finish): `)
        : await readPiped(stdin);
      const value = checkKeyValue(raw);
      if (!value.ok) throw new StartupError(`${value.reason} Nothing was changed.`, EXIT.badInput);
      // Redacted from everything printed from here on, should anything quote it.
      setup.secrets.add(value.value);
      const set = await setProfileKey(dir, keyName, value.value);
      if (!set.ok) throw new StartupError(set.reason, EXIT.failed);
      out(`${set.value.replaced ? "Replaced" : "Added"} ${set.value.key} in ${dir}/.env.`);
      const keys = await readProfileKeys(dir, setup.library.catalog);
      if (!keys.needed.some((entry) => entry.key === set.value.key))
        out(
          `Note: nothing in the profile asks for ${set.value.key} (blueprint key list ${profile} shows what does).`,
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
      const { out, dir, keyName } = await keyTarget(profile, name);
      const deleted = await deleteProfileKey(dir, keyName);
      if (!deleted.ok) throw new StartupError(deleted.reason, EXIT.failed);
      out(
        deleted.value.removed > 0
          ? `Deleted ${deleted.value.key} from ${dir}/.env.`
          : `${deleted.value.key} is not set in ${dir}/.env; nothing was changed.`,
      );
      process.exitCode = EXIT.ok;
    });
}

/** `key set` and `key delete`: the setup, the profile's folder and the key name, checked. */
async function keyTarget(profile: string, name: string) {
  const setup = await loadSetup();
  const out = writeLine(process.stdout, setup.secrets);
  const dir = await localProfile(setup, profile);
  const checked = checkKeyName(name);
  if (!checked.ok) throw new StartupError(`${checked.reason} Nothing was changed.`, EXIT.badInput);
  return { setup, out, dir, keyName: checked.value };
}
