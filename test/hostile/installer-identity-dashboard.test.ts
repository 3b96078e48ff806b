// Problem 5 of the hostile-answers issue through a Hermes host, on the real start-up path
// (`blueprint start` with HERMES_URL + HERMES_TOKEN): the dashboard's action log says "Could not
// fetch 'X'" and then "Installed: <a hub skill the profile already has>". The host's skill list
// shows that skill as a hub skill before the run as after it, so nothing was installed.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { startHostileDashboard, type HostileDashboard } from "../helpers/hostile-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { consoleWizard, piped } from "../helpers/console-wizard.ts";

const tempDir = useTempDirs();
const TOKEN = "identity-dashboard-token-0001";
const KEY = "sk-or-identity-dashboard-key-0001";
recordSecret(TOKEN);
recordSecret(KEY);

const fakes: HostileDashboard[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

const LIED = "official/security/password-audit";
const ACTION = "skills-install-official-security-password-audit-0a1b2c3d";

describe("GIVEN a Hermes host whose install log claims a hub skill the profile already had", () => {
  it("WHEN a console Create installs through it THEN the install fails with the log's own words", async () => {
    const fake = await startHostileDashboard();
    fakes.push(fake);
    const raw = (body: unknown) => ({ kind: "raw" as const, status: 200, body: JSON.stringify(body) });
    fake.hostile(
      "GET /api/skills",
      raw([{ name: "real-one", category: "", provenance: "hub", enabled: true }]),
    );
    fake.hostile("POST /api/skills/hub/install", raw({ ok: true, pid: 4242, name: ACTION }));
    fake.hostile(
      `GET /api/actions/${ACTION}/status`,
      raw({
        name: ACTION,
        running: false,
        exit_code: 0,
        pid: 4242,
        lines: [
          `=== ${ACTION} started now ===`,
          `Fetching: ${LIED}`,
          `Error: Could not fetch '${LIED}' from any source.`,
          "Installed: real-one",
        ],
      }),
    );
    const data = await tempDir();
    const input = piped(
      consoleWizard({ name: "remote-liar", provider: "OpenRouter", model: "1", key: KEY, hub: LIED }),
    );
    const result = await runCli(["start"], {
      input,
      env: { DATA_DIR: data, HERMES_URL: fake.url, HERMES_TOKEN: TOKEN, HOME: path.join(data, "user-home") },
    });
    expect(result.code).toBe(0);
    const finalStatus = result.stdout.slice(result.stdout.lastIndexOf("━━ Hub skills for"));
    expect(finalStatus).toMatch(
      new RegExp(`✗ ${LIED}: failed — .*it said "Error: Could not fetch '${LIED}' from any source\\."`),
    );
    expect(finalStatus).toContain("Finished: 0 installed, 1 not.");
  }, 60_000);
});
