import { describe, expect, it } from "vitest";
import { queuedJob } from "../../../src/core/install/install-job.ts";
import {
  applyInstallerLine,
  cleanLine,
  LOG_LINE_MAX_CHARS,
} from "../../../src/core/install/installer-output.ts";
import { encodeInstallToken, parseInstallToken } from "../../../src/core/tokens/install-token.ts";
import {
  progressBar,
  renderInstallStatus,
  SKILL_KEY_SHOWN_MAX_CHARS,
  SKILL_KEYS_SHOWN_MAX,
} from "../../../src/core/install/status-view.ts";
import { ALICE } from "../../helpers/wizard-driver.ts";

function feed(lines: string[]) {
  return lines.reduce(applyInstallerLine, queuedJob("official/security/password-audit"));
}

describe("GIVEN Hermes' installer output", () => {
  it.each([
    [["Fetching: x"], "fetching", ""],
    [["Fetching: x", "Quarantined to /q", "Running security scan..."], "scanning", ""],
    [["Scan: x (official/builtin)  Verdict: CAUTION"], "scanning", "verdict CAUTION"],
    [["Fetching: x", "Quarantined to .hub/quarantine/x"], "quarantined", ""],
    [["Decision: ALLOWED (builtin, SAFE)"], "installing", "allowed"],
    [
      [
        "Scan: x (official/builtin)  Verdict: SAFE",
        "Decision: ALLOWED — Allowed (builtin source, safe verdict)",
      ],
      "installing",
      "verdict SAFE, allowed",
    ],
    [
      ["Decision: BLOCKED — Blocked (community source + dangerous verdict, 3 findings)."],
      "blocked",
      "Blocked (community source + dangerous verdict, 3 findings).",
    ],
    [["Installed: devops/docker-debug", "Files: SKILL.md"], "installed", "devops/docker-debug"],
    [
      [
        "Warning: 'password-audit' is already installed at security/password-audit",
        "Use --force to reinstall.",
      ],
      "already installed",
      "the profile already has password-audit",
    ],
    [["Installation blocked: community skill with CAUTION"], "blocked", "community skill with CAUTION"],
    [
      ["Fetching: x", "Error: Could not fetch 'x' from any source."],
      "could not fetch",
      "no hub source has it: check the identifier (or the network), then Retry",
    ],
    [["Fetching: x", "Error: something else broke"], "fetching", "something else broke"],
  ])("WHEN it prints %j THEN the phase is %s with detail %j", (lines, phase, detail) => {
    const job = feed(lines);
    expect(job.phase).toBe(phase);
    expect(job.detail).toBe(detail);
  });

  it.each([
    [["Installed: devops/docker-debug"], "docker-debug"],
    [["Installed: password-audit"], "password-audit"],
    [["Warning: 'password-audit' is already installed at security/password-audit"], "password-audit"],
  ])("WHEN it prints %j THEN the lock.json name it reported is %s", (lines, name) => {
    const job = feed(lines);
    expect(job.sawInstalled).toBe(true);
    expect(job.installedName).toBe(name);
  });

  it("WHEN lines carry colours and control characters THEN they are cleaned and capped", () => {
    expect(cleanLine("\u001b[32mInstalled:\u001b[0m x\u0007")).toBe("Installed: x");
    // Cut at the cap, the cut marked ("…" counts towards the cap, as the gate for outside text counts it).
    expect(cleanLine("y".repeat(5000))).toHaveLength(LOG_LINE_MAX_CHARS);
    expect(cleanLine("y".repeat(5000))).toMatch(/y…$/);
    expect(feed(["\u001b[1mInstalled: x\u001b[0m"]).sawInstalled).toBe(true);
  });

  it("WHEN lines carry C1 controls, bidi overrides or line separators THEN the gate for outside text removes them", () => {
    expect(cleanLine("Error: \u009b2J screen \u202ereversed\u0085 \u2028forged")).toBe(
      "Error: 2J screen reversed forged",
    );
  });
});

describe("GIVEN an install group", () => {
  const base = {
    id: "grp00001",
    owner: ALICE,
    surface: "console" as const,
    chat: "c",
    profile: "p1",
    createdAt: 0,
    updatedAt: 0,
  };

  it("THEN the status shows a bar, a line per skill, Cancel while running and Retry for failures", () => {
    const view = renderInstallStatus({
      ...base,
      jobs: [
        { ...queuedJob("a/b/one"), status: "done", phase: "installed", detail: "one" },
        { ...queuedJob("a/b/two"), status: "failed", phase: "timed out", detail: "no end after 300 s" },
        { ...queuedJob("a/b/three"), status: "running", phase: "scanning" },
      ],
    });
    expect(view.body).toEqual([
      "▰▰▰▰▰▰▰▱▱▱ 2/3",
      "✓ a/b/one: installed — one",
      "⏱ a/b/two: timed out — no end after 300 s",
      "🔍 a/b/three: scanning",
    ]);
    expect(view.buttons.flat().map((button) => [button.label, button.token])).toEqual([
      ["Cancel installs", "i:grp00001:cancel"],
      ["Retry failed", "i:grp00001:retry"],
    ]);
    expect(view.final).toBe(false);
  });

  it("WHEN every job installed THEN the status is final with no buttons, and points to the keys a hub skill may need", () => {
    const view = renderInstallStatus({
      ...base,
      jobs: [{ ...queuedJob("a/b/one"), status: "done", phase: "installed", detail: "" }],
    });
    expect(view.buttons).toEqual([]);
    expect(view.final).toBe(true);
    expect(view.body.slice(-2)).toEqual([
      "Finished: 1 installed, 0 not.",
      "A hub skill may declare keys of its own: /profile keys p1 lists any not set yet.",
    ]);
  });

  it("WHEN the profile's missing skill keys were read THEN they are named, bounded; none read missing, no line", () => {
    const done = [
      { ...queuedJob("a/b/one"), status: "done" as const, phase: "installed" as const, detail: "" },
    ];
    const named = renderInstallStatus({ ...base, jobs: done, skillKeysMissing: ["WEATHER_TOKEN"] });
    expect(named.body.at(-1)).toBe(
      "Skill keys not set yet (the skills need setup until they are): WEATHER_TOKEN. /profile keys p1 lists them, /profile edit p1 sets them.",
    );
    const many = Array.from({ length: SKILL_KEYS_SHOWN_MAX + 2 }, (_, index) => `K${index}`);
    const long = "L".repeat(SKILL_KEY_SHOWN_MAX_CHARS + 10);
    const bounded = renderInstallStatus({ ...base, jobs: done, skillKeysMissing: [long, ...many] });
    const line = bounded.body.at(-1) ?? "";
    expect(line).toContain(`${"L".repeat(SKILL_KEY_SHOWN_MAX_CHARS)}…,`);
    expect(line).not.toContain("L".repeat(SKILL_KEY_SHOWN_MAX_CHARS + 1));
    expect(line).toContain(` and 3 more.`);
    const none = renderInstallStatus({ ...base, jobs: done, skillKeysMissing: [] });
    expect(none.body.at(-1)).toBe("Finished: 1 installed, 0 not.");
  });

  it("WHEN nothing was installed THEN no keys line is added", () => {
    const view = renderInstallStatus({
      ...base,
      jobs: [{ ...queuedJob("a/b/one"), status: "failed", phase: "failed", detail: "x" }],
    });
    expect(view.body.at(-1)).toBe("Finished: 0 installed, 1 not.");
  });

  it("THEN progress bars and install tokens are what the platforms need", () => {
    expect(progressBar(0, 4)).toBe("▱▱▱▱▱▱▱▱▱▱ 0/4");
    expect(progressBar(5, 5)).toBe("▰▰▰▰▰▰▰▰▰▰ 5/5");
    expect(parseInstallToken(encodeInstallToken("grp00001", "retry"))).toEqual({
      ok: true,
      value: { groupId: "grp00001", action: "retry" },
    });
    expect(parseInstallToken("i:grp00001:delete")).toMatchObject({
      ok: false,
      error: { code: "token_malformed" },
    });
  });
});
