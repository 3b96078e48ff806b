// Several Hermes hosts (HERMES_HOSTS) through the console bot's real start-up, one of them listing
// names no Hermes makes: its good profiles are listed with the others, the rest skipped with a note
// naming that host, and nothing it chose reaches the terminal raw.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { startHostileDashboard, type HostileDashboard } from "../helpers/hostile-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const BOX_TOKEN = "hostile-hosts-box-token-1d7e";
const LAB_TOKEN = "hostile-hosts-lab-token-6c0a";
recordSecret(BOX_TOKEN);
recordSecret(LAB_TOKEN);

const fakes: HostileDashboard[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

describe("GIVEN the console bot with two Hermes hosts, one listing names no Hermes makes (problem 6)", () => {
  it("WHEN /profile list is typed THEN both hosts' real profiles are listed and the bad entries are skipped with a note naming their host", async () => {
    const box = await startHostileDashboard();
    const lab = await startHostileDashboard();
    fakes.push(box, lab);
    box.profiles = [{ name: "default", is_default: true }, { name: "box-one" }];
    lab.profiles = [
      { name: "default", is_default: true },
      { name: "lab-one" },
      { name: "lab\n✓ Profile 'root' created." },
      { name: "\u001b]0;owned\u0007" },
    ];
    // The lab echoes its token into the error of the config read /profile list makes per profile.
    lab.hostile("GET /api/config/raw", {
      kind: "echo",
      status: 500,
      detail: (seen) => `config of ${seen.token ?? ""} unreadable`,
    });
    const data = await tempDir();
    const result = await runCli(["start"], {
      input: "/profile list\n",
      env: {
        DATA_DIR: data,
        HOME: path.join(data, "user-home"),
        HERMES_HOSTS: `box=${box.url},lab=${lab.url}`,
        HERMES_TOKEN_BOX: BOX_TOKEN,
        HERMES_TOKEN_LAB: LAB_TOKEN,
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("• box:box-one");
    expect(result.stdout).toContain("• lab:lab-one");
    expect(result.stdout).toContain("(2 entries from lab skipped: not a profile name Hermes allows)");
    expect(result.stdout).toContain("config of [redacted] unreadable");
    expect(result.stdout).not.toContain("✓ Profile 'root' created.");
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    for (const token of [BOX_TOKEN, LAB_TOKEN])
      expect(`${result.stdout}${result.stderr}`).not.toContain(token);
  }, 60_000);
});
