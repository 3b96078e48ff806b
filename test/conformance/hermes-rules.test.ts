// Rules the bot applies on Hermes' behalf, checked against the installed Hermes itself: the profile
// name rule (`hermes profile create` accepts exactly what the bot accepts, under the same folder
// name), the .env variable of an MCP server's bearer token, and a pasted "Bearer " prefix.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkSecretValue } from "../../src/app/secrets/secret-vault.ts";
import { checkProfileName } from "../../src/core/profile-name.ts";
import { mcpApiKeyEnv } from "../../src/core/secrets.ts";
import { hermes, hermesPython } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const CANDIDATES = [
  "research-bot",
  "Mixed-Case", // normalised to mixed-case by both
  "  padded  ",
  "a",
  "9lives",
  "x__y-z",
  "a".repeat(64),
  "a".repeat(65),
  "_under",
  ".hidden",
  "has space",
  "dot.name",
  "ümlaut",
  "emoji😀",
  "../etc",
  "a/b",
  "default",
  "Default",
  "hermes",
  "test",
  "tmp",
  "root",
  "sudo",
  "chat", // a Hermes subcommand: a valid name that cannot get a shell alias
  "profile",
];

describe("GIVEN the real Hermes 0.19", () => {
  it("WHEN each candidate name is tried on both THEN the bot accepts exactly what Hermes accepts, under the same folder name", async () => {
    const home = path.join(await tempDir(), "hermes");
    const verdicts: { name: string; ours: string | false; hermes: string | false }[] = [];
    for (const name of CANDIDATES) {
      const before = new Set(await readdir(path.join(home, "profiles")).catch(() => []));
      const result = await hermes(home, ["profile", "create", name, "--no-alias"]);
      const after = (await readdir(path.join(home, "profiles")).catch(() => [])).filter(
        (entry) => !before.has(entry),
      );
      const ours = checkProfileName(name);
      verdicts.push({
        name,
        ours: ours.ok ? ours.value.name : false,
        hermes: result.code === 0 ? (after[0] ?? "(created nothing)") : false,
      });
    }
    expect(verdicts.filter((entry) => entry.ours !== entry.hermes)).toEqual([]);
    // The rule has teeth on both sides: some names pass, some do not.
    expect(verdicts.filter((entry) => entry.hermes !== false).length).toBeGreaterThan(5);
    expect(verdicts.filter((entry) => entry.hermes === false).length).toBeGreaterThan(10);
  }, 120_000);
});

const MCP_NAMES = ["docs", "my-server", "My_Server", "-edge-", "_x_", "a1-b2", "linear"];
const TOKENS = ["abc123", "Bearer abc123", "bearer   abc123", "  Bearer abc123  ", "Bearerabc123"];

describe("GIVEN Hermes' own MCP helpers", () => {
  it("WHEN MCP server names and pasted tokens go through both THEN the .env key and the stored token agree", async () => {
    const home = path.join(await tempDir(), "hermes");
    const theirs = (await hermesPython(
      home,
      home,
      `import json
from hermes_cli.mcp_config import _env_key_for_server, _strip_bearer_prefix
print(json.dumps({"keys": [_env_key_for_server(n) for n in ${JSON.stringify(MCP_NAMES)}],
                  "tokens": [_strip_bearer_prefix(t) for t in ${JSON.stringify(TOKENS)}]}))`,
    )) as { keys: string[]; tokens: string[] };
    expect(MCP_NAMES.map(mcpApiKeyEnv)).toEqual(theirs.keys);
    expect(
      TOKENS.map((token) => {
        const checked = checkSecretValue(token);
        return checked.ok ? checked.value : "(refused)";
      }),
    ).toEqual(theirs.tokens);
  });
});
