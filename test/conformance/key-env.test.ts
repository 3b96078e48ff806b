// `blueprint key set | delete` judged by Hermes' own .env loader (hermes_cli/env_loader.py
// load_hermes_dotenv, which loads a profile's .env with override): after set it sees the value,
// after a rotation the new value, after delete no value from .env at all — not "" — so the shell's
// own value (if any) applies again.
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/app/system/exit.ts";
import { runCli } from "../helpers/cli.ts";
import { hermesPython } from "../helpers/hermes.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const FIRST = "sk-or-conformance-key-first-01";
const ROTATED = "sk-or-conformance-key-rotated-02";
/** Starts like a quoted value and holds dotenv's escape characters: written single-quoted. */
const QUOTED = `'conformance\\key"value'x`;
for (const secret of [FIRST, ROTATED, QUOTED]) recordSecret(secret);

// Prints digests, not values ("absent" when the variable is not in the environment at all).
const LOAD_ENV = `
import hashlib, json, os
from hermes_cli.env_loader import load_hermes_dotenv
load_hermes_dotenv(hermes_home=os.environ["HERMES_HOME"])
digest = lambda v: "absent" if v is None else hashlib.sha256(v.encode()).hexdigest()
print(json.dumps({k: digest(os.environ.get(k)) for k in ["OPENROUTER_API_KEY", "ODD_TOKEN"]}))
`;
const digest = (value: string) => createHash("sha256").update(value).digest("hex");

describe("GIVEN the real Hermes 0.19 loading a profile's .env that blueprint key edits", () => {
  it('WHEN a key is set, rotated and deleted THEN Hermes sees the value, then the new value, then no value from .env (not "")', async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const profile = path.join(home, "profiles/keys");
    const file = path.join(data, "bp.yaml");
    await writeFile(file, "name: keys\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\n");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    expect((await runCli(["create", "--from", file], { env })).code).toBe(EXIT.ok);
    const shell = { OPENROUTER_API_KEY: "shell-openrouter-value" };
    const load = (extra: Record<string, string> = {}) => hermesPython(home, profile, LOAD_ENV, extra);

    // Left unset by create: the placeholder leaves the shell's value alone.
    expect(await load(shell)).toEqual({
      OPENROUTER_API_KEY: digest(shell.OPENROUTER_API_KEY),
      ODD_TOKEN: "absent",
    });

    const set = await runCli(["key", "set", "keys", "OPENROUTER_API_KEY"], { env, input: `${FIRST}\n` });
    expect(set.code).toBe(EXIT.ok);
    expect(await load(shell)).toEqual({ OPENROUTER_API_KEY: digest(FIRST), ODD_TOKEN: "absent" });

    const rotated = await runCli(["key", "set", "keys", "OPENROUTER_API_KEY"], { env, input: ROTATED });
    expect(rotated.code).toBe(EXIT.ok);
    const odd = await runCli(["key", "set", "keys", "ODD_TOKEN"], { env, input: QUOTED });
    expect(odd.code).toBe(EXIT.ok);
    expect(await load(shell)).toEqual({ OPENROUTER_API_KEY: digest(ROTATED), ODD_TOKEN: digest(QUOTED) });

    const deleted = await runCli(["key", "delete", "keys", "OPENROUTER_API_KEY"], { env });
    expect(deleted.code).toBe(EXIT.ok);
    // Absent, not "": without a shell value Hermes has none; with one, the shell's applies again.
    expect(await load()).toEqual({ OPENROUTER_API_KEY: "absent", ODD_TOKEN: digest(QUOTED) });
    expect(await load(shell)).toEqual({
      OPENROUTER_API_KEY: digest(shell.OPENROUTER_API_KEY),
      ODD_TOKEN: digest(QUOTED),
    });
  });

  it("WHEN the chat editor sets and then deletes a key (console, as npm start runs it) THEN Hermes sees the value, then none", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const profile = path.join(home, "profiles/keys");
    const file = path.join(data, "bp.yaml");
    await writeFile(file, "name: keys\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\n");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    expect((await runCli(["create", "--from", file], { env })).code).toBe(EXIT.ok);
    const load = () => hermesPython(home, profile, LOAD_ENV);

    const set = await runCli(["start"], {
      env,
      input: ["/profile edit keys", "Edit keys", "OPENROUTER_API_KEY", FIRST, "Back", "Apply", ""].join("\n"),
    });
    expect(set.stdout).toContain("+ key OPENROUTER_API_KEY added: set");
    expect(set.stdout).not.toContain(FIRST);
    expect(await load()).toEqual({ OPENROUTER_API_KEY: digest(FIRST), ODD_TOKEN: "absent" });

    const deleted = await runCli(["start"], {
      env,
      input: [
        "/profile edit keys",
        "Edit keys",
        "OPENROUTER_API_KEY",
        "Delete OPENROUTER_API_KEY",
        "Back",
        "Apply",
        "",
      ].join("\n"),
    });
    expect(deleted.stdout).toContain("- key OPENROUTER_API_KEY removed: deleted from .env");
    expect(await load()).toEqual({ OPENROUTER_API_KEY: "absent", ODD_TOKEN: "absent" });
  });
});
