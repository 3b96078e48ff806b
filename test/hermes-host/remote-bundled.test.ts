// A Hermes host whose bundled skill tree holds a skill the bot's own catalog does not (a newer
// Hermes, a host's own additions): a create that keeps only some built-ins switches off exactly the
// ones the user deselected, and the skill the user never saw stays on. Judged by that Hermes'
// `skills list`.
import { cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { skillsList } from "../helpers/hermes.ts";
import { startHermesServe, type HermesServe } from "../helpers/hermes-serve.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { remoteBotEnv } from "../helpers/remote-hermes.ts";
import { useFileTempDir, useTempDirs } from "../helpers/temp-dir.ts";

const TOKEN = "remote-bundled-session-token-3f90";
recordSecret(TOKEN);
const fileDir = useFileTempDir();
const tempDir = useTempDirs();
let serve: HermesServe | undefined;
let home = "";

beforeAll(async () => {
  const root = await fileDir();
  const bundled = path.join(root, "bundled");
  await cp(path.join(REPO_ROOT, "library/skills"), bundled, { recursive: true });
  await mkdir(path.join(bundled, "productivity", "host-only"), { recursive: true });
  await writeFile(
    path.join(bundled, "productivity", "host-only", "SKILL.md"),
    "---\nname: host-only\ndescription: A skill only this host's Hermes ships.\nversion: 1.0.0\n---\n\nOnly here.\n",
  );
  home = path.join(root, "hermes");
  serve = await startHermesServe(home, TOKEN, { HERMES_BUNDLED_SKILLS: bundled });
}, 90_000);
afterAll(() => serve?.stop());

describe("GIVEN a Hermes host with a bundled skill the bot does not know", () => {
  it("WHEN a profile keeping two built-ins is created there THEN the deselected ones are off and the host's own skill stays on", async () => {
    const data = await tempDir();
    if (!serve) throw new Error("hermes serve is started in beforeAll");
    const env = remoteBotEnv(data, { home, url: serve.url, token: TOKEN, stop: serve.stop });
    const file = path.join(data, "kept.yaml");
    await writeFile(file, "name: kept\nskills:\n  builtin: [productivity/meeting-notes, code-review]\n");
    const created = await runCli(["create", "--from", file], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/built-in skill\(s\) switched off/);
    const skills = await skillsList(home, "kept");
    const enabled = (name: string) => skills.find((skill) => skill.name === name)?.enabled;
    expect(enabled("meeting-notes")).toBe(true);
    expect(enabled("code-review")).toBe(true);
    expect(enabled("task-planning")).toBe(false);
    expect(enabled("host-only")).toBe(true);
  }, 120_000);
});
