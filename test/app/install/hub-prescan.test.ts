// The scan before Create's queue and the bundled scanner behind it: a few scans at a time, one
// scan per skill while its result is fresh, a failure kept as "not scanned", the bundled scan
// reaching the bundled installer's decision, and no fetch outside the installs' address policy.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scanFromBundledHub } from "../../../src/app/install/bundled-skill-scan.ts";
import {
  HubPrescanner,
  PRESCAN_CONCURRENCY,
  PRESCAN_RESULT_TTL_MS,
  PRESCAN_RESULTS_MAX,
} from "../../../src/app/install/hub-prescan.ts";
import { scanWithHermes } from "../../../src/app/install/hermes-skill-scan.ts";
import type { HubScan } from "../../../src/core/install/hub-scan.ts";
import { REPO_ROOT } from "../../helpers/cli.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const HUB = path.join(REPO_ROOT, "library/hub");
const SAFE: HubScan = {
  status: "scanned",
  verdict: "safe",
  trust: "community",
  allowed: true,
  forceOnly: false,
  reason: "",
};

describe("GIVEN the scan before Create's queue", () => {
  it("WHEN many skills are picked THEN at most PRESCAN_CONCURRENCY scan at once, each once, and every end is told", async () => {
    let running = 0;
    let most = 0;
    const calls: string[] = [];
    const done: string[] = [];
    const prescan = new HubPrescanner(
      async (identifier) => {
        calls.push(identifier);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running -= 1;
        return SAFE;
      },
      { onDone: (identifier) => done.push(identifier) },
    );
    const ids = ["a/b/one", "a/b/two", "a/b/three", "a/b/four", "a/b/five"];
    prescan.request(ids);
    expect([...prescan.scans().values()].every((scan) => scan.status === "scanning")).toBe(true);
    prescan.request(ids);
    await prescan.idle();
    expect(most).toBe(PRESCAN_CONCURRENCY);
    expect(calls.sort()).toEqual([...ids].sort());
    expect(done.sort()).toEqual([...ids].sort());
    expect([...prescan.scans().values()]).toEqual(ids.map(() => SAFE));
  });

  it("WHEN a result is older than PRESCAN_RESULT_TTL_MS THEN picking the skill again scans it again", async () => {
    let now = 0;
    let calls = 0;
    const prescan = new HubPrescanner(
      () => {
        calls += 1;
        return Promise.resolve(SAFE);
      },
      { now: () => now },
    );
    prescan.request(["a/b/c"]);
    await prescan.idle();
    now = PRESCAN_RESULT_TTL_MS - 1;
    prescan.request(["a/b/c"]);
    await prescan.idle();
    expect(calls).toBe(1);
    now = PRESCAN_RESULT_TTL_MS + 1;
    prescan.request(["a/b/c"]);
    await prescan.idle();
    expect(calls).toBe(2);
  });

  it("WHEN a scan throws THEN the skill shows as not scanned, the error goes to the log, not the chat", async () => {
    const logged: string[] = [];
    const prescan = new HubPrescanner(() => Promise.reject(new Error("/srv/secret/path exploded")), {
      onError: (identifier, error) => logged.push(`${identifier}: ${String(error)}`),
    });
    prescan.request(["a/b/c"]);
    await prescan.idle();
    expect(logged).toEqual(["a/b/c: Error: /srv/secret/path exploded"]);
    expect(prescan.scans().get("a/b/c")).toEqual({
      status: "failed",
      reason: "the scan failed (see the bot's log)",
    });
  });

  it("WHEN more than PRESCAN_RESULTS_MAX skills were scanned THEN only the newest results are kept", async () => {
    const prescan = new HubPrescanner(() => Promise.resolve(SAFE));
    prescan.request(Array.from({ length: PRESCAN_RESULTS_MAX + 5 }, (_, i) => `a/b/s${i}`));
    await prescan.idle();
    const kept = prescan.scans();
    expect(kept.size).toBe(PRESCAN_RESULTS_MAX);
    expect(kept.has("a/b/s0")).toBe(false);
    expect(kept.has(`a/b/s${PRESCAN_RESULTS_MAX + 4}`)).toBe(true);
  });
});

describe("GIVEN the bundled scanner (no Hermes)", () => {
  it("WHEN a skill of the bundled hub is scanned THEN it reaches the bundled installer's verdict, trust and decision", async () => {
    expect(await scanFromBundledHub("official/security/password-audit", HUB)).toEqual({
      ...SAFE,
      trust: "builtin",
    });
    expect(await scanFromBundledHub("shady/skills/env-exfil", HUB)).toEqual({
      status: "scanned",
      verdict: "dangerous",
      trust: "community",
      allowed: false,
      forceOnly: false,
      reason: "the scan found dangerous content; it is never installed",
    });
    expect(await scanFromBundledHub("acme/agent-skills/no-such-skill", HUB)).toEqual({
      status: "failed",
      reason: "not fetched: the hub has no such skill",
    });
  });

  it("WHEN an identifier is outside the installs' address policy (loopback, metadata) THEN nothing is fetched and it is not scanned", async () => {
    for (const identifier of ["http://127.0.0.1:9/x/SKILL.md", "well-known:https://169.254.169.254/x"]) {
      expect(await scanFromBundledHub(identifier, HUB)).toEqual({
        status: "failed",
        reason: "not a hub identifier the bot fetches",
      });
      // Hermes is not even started for it (a missing program would say otherwise).
      expect(
        await scanWithHermes(identifier, { hermesBin: "/nonexistent/hermes", env: {}, timeoutMs: 1000 }),
      ).toEqual({
        status: "failed",
        reason: "not a hub identifier the bot fetches",
      });
    }
  });
});

/** A `hermes` whose interpreter runs `body` (a shell script) instead of Hermes' Python. */
async function fakeHermes(body: string): Promise<string> {
  const dir = await tempDir();
  const interpreter = path.join(dir, "python");
  await writeFile(interpreter, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  const bin = path.join(dir, "hermes");
  await writeFile(bin, `#!${interpreter}\n`, { mode: 0o755 });
  return bin;
}

describe("GIVEN a Hermes whose scan stalls, floods or answers something else", () => {
  it.each([
    ["stalls", "sleep 30", "no answer within the install time limit (0.5 s)"],
    ["floods", "head -c 3000000 /dev/zero | tr '\\0' x", "Hermes' scan did not finish"],
    [
      "answers a verdict Hermes has not",
      `echo '{"status":"scanned","verdict":"\\u001b[2Jfine","trust":"community","allowed":true,"forced":true,"reason":""}'`,
      "Hermes' scan answered something else",
    ],
  ])("WHEN it %s THEN the skill is not scanned, within the time limit", async (_what, body, reason) => {
    const started = Date.now();
    const scan = await scanWithHermes("acme/agent-skills/changelog", {
      hermesBin: await fakeHermes(body),
      env: { PATH: process.env["PATH"] ?? "" },
      timeoutMs: 500,
    });
    expect(scan).toEqual({ status: "failed", reason });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
