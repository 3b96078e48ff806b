// The .env as Hermes loads it (hermes_cli/env_loader.py: the profile's .env with override): a key
// the user gave wins over the shell; a key left unset must not blank the operator's shell value.
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { hermesPython } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

// Prints digests, not values: what Hermes prints is kept for the leak check like every output.
const LOAD_ENV = `
import hashlib, json, os
from hermes_cli.env_loader import load_hermes_dotenv
load_hermes_dotenv(hermes_home=os.environ["HERMES_HOME"])
digest = lambda v: None if v is None else hashlib.sha256(v.encode()).hexdigest()
print(json.dumps({k: digest(os.environ.get(k)) for k in ["OPENROUTER_API_KEY", "GITHUB_TOKEN"]}))
`;
const digest = (value: string) => createHash("sha256").update(value).digest("hex");

describe("GIVEN the real Hermes 0.19 loading a profile's .env", () => {
  it("WHEN one key was given and one left unset THEN the given one applies and the unset one leaves the shell's value alone", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const file = path.join(data, "bp.yaml");
    await writeFile(
      file,
      `name: keys
model: { provider: openrouter, model: anthropic/claude-sonnet-4 }
mcp_servers:
  - { name: github, command: npx, args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GITHUB_TOKEN}" } }
`,
    );
    const created = await runCli(["create", "--from", file], {
      env: { DATA_DIR: data, HERMES_HOME: home, OPENROUTER_API_KEY: "sk-or-conformance-env-1" },
    });
    expect(created.code).toBe(0);
    const loaded = await hermesPython(home, path.join(home, "profiles/keys"), LOAD_ENV, {
      OPENROUTER_API_KEY: "shell-openrouter-value",
      GITHUB_TOKEN: "shell-github-value",
    });
    expect(loaded).toEqual({
      OPENROUTER_API_KEY: digest("sk-or-conformance-env-1"),
      GITHUB_TOKEN: digest("shell-github-value"),
    });
  });
});
