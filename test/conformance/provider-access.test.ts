// The real Hermes judges the providers only it knows: `create --from` takes an OAuth provider from
// Hermes' registry (no key), Hermes' `profile show` reports it, and the sign-in command the bot prints
// is one Hermes' own parser accepts for that profile and provider (`hermes -p <name> auth add <id>
// --type oauth`, run here with --help so no sign-in starts); a provider Hermes has no model list for
// is taken with the model id the file gives.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { hermes, hermesBin, hermesPython, profileShow } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const OAUTH_CAPABLE = `
import json
from hermes_cli.auth_commands import _OAUTH_CAPABLE_PROVIDERS
print(json.dumps({"oauth": sorted(_OAUTH_CAPABLE_PROVIDERS)}))
`;

describe("GIVEN a blueprint on a provider only Hermes knows", () => {
  it("WHEN it is an OAuth provider THEN the profile is made on it and the printed sign-in command is one Hermes accepts", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const file = path.join(data, "bp.yaml");
    await writeFile(file, "name: oauth-bot\nmodel: { provider: nous, model: Hermes-4-405B }\n");
    const made = await runCli(["create", "--from", file], {
      env: { DATA_DIR: data, HERMES_HOME: home, HERMES_BIN: hermesBin() },
    });
    expect(made.code, made.stderr).toBe(0);
    const command = "hermes -p oauth-bot auth add nous --type oauth";
    expect(made.stderr).toContain(command);
    expect(await profileShow(home, "oauth-bot")).toMatchObject({ provider: "nous", model: "Hermes-4-405B" });
    const help = await hermes(home, [...command.split(" ").slice(1), "--help"]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain("--type {oauth,api-key,api_key}");
    const probe = (await hermesPython(home, path.join(home, "profiles", "oauth-bot"), OAUTH_CAPABLE)) as {
      oauth: string[];
    };
    expect(probe.oauth).toContain("nous");
  }, 60_000);

  it("WHEN Hermes has no model list for it THEN the model id given is taken and no sign-in is printed", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const file = path.join(data, "bp.yaml");
    await writeFile(
      file,
      "name: fw-bot\nmodel: { provider: fireworks, model: accounts/fireworks/models/qwen3-235b }\n",
    );
    const made = await runCli(["create", "--from", file], {
      env: { DATA_DIR: data, HERMES_HOME: home, HERMES_BIN: hermesBin() },
    });
    expect(made.code, made.stderr).toBe(0);
    expect(made.stderr).not.toContain("auth add");
    expect(await profileShow(home, "fw-bot")).toMatchObject({
      provider: "fireworks",
      model: "accounts/fireworks/models/qwen3-235b",
    });
  }, 60_000);
});
