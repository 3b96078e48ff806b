import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildInstallCommand,
  parseCommandTemplate,
} from "../../../src/app/install/install-command-template.ts";
import { decide, installFromHub } from "../../../src/app/install/hub-installer.ts";
import { resolveHubSkill, trustOf } from "../../../src/app/install/hub-source.ts";
import { scanSkill } from "../../../src/app/install/skill-scanner.ts";
import { REPO_ROOT } from "../../helpers/cli.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const HUB = path.join(REPO_ROOT, "library/hub");
const tempDir = useTempDirs();

describe("GIVEN the shipped hub", () => {
  it.each([
    ["official/security/password-audit", "SAFE"],
    ["official/research/paper-search", "SAFE"],
    ["official/devops/log-triage", "SAFE"],
    ["acme/agent-skills/changelog", "SAFE"],
    ["acme/agent-skills/sql-explain", "SAFE"],
    // Hermes' scan_skill: `crontab` is a medium finding only; "Ignore previous instructions" is critical.
    ["anthropics/skills/cron-review", "SAFE"],
    ["shady/skills/prompt-injector", "DANGEROUS"],
    ["shady/skills/env-exfil", "DANGEROUS"],
    ["shady/skills/symlink-escape", "DANGEROUS"],
  ])("WHEN %s is scanned THEN the verdict is %s", async (identifier, verdict) => {
    const skill = await resolveHubSkill(HUB, identifier);
    expect(skill).toBeDefined();
    expect((await scanSkill(skill?.dir ?? "")).verdict).toBe(verdict);
  });

  it("THEN trust and decisions follow Hermes: dangerous never, caution blocks only community", () => {
    expect([trustOf("official/a/b"), trustOf("anthropics/skills/x"), trustOf("acme/agent-skills/x")]).toEqual(
      ["builtin", "trusted", "community"],
    );
    expect(decide("builtin", "DANGEROUS").allowed).toBe(false);
    expect(decide("trusted", "CAUTION").allowed).toBe(true);
    expect(decide("community", "CAUTION").allowed).toBe(false);
    expect(decide("community", "SAFE").allowed).toBe(true);
  });

  it.each([
    ["../x/y"],
    ["official/../../etc"],
    ["official/security"],
    ["https://example.com/SKILL.md"],
    ["nope/x/y"],
  ])("WHEN %s is looked up THEN nothing is found", async (identifier) => {
    expect(await resolveHubSkill(HUB, identifier)).toBeUndefined();
  });
});

async function profile() {
  const dir = path.join(await tempDir(), "p1");
  await mkdir(path.join(dir, "skills"), { recursive: true });
  return dir;
}

async function install(profileDir: string, identifier: string, hubRoot = HUB) {
  const lines: string[] = [];
  const code = await installFromHub({
    profileDir,
    identifier,
    hubRoot,
    print: (line) => lines.push(line),
    now: () => new Date("2026-01-02T03:04:05Z"),
  });
  return { code, lines };
}

describe("GIVEN the bundled installer", () => {
  it("WHEN a safe skill is installed THEN it prints Hermes' lines, moves the skill in and records lock.json", async () => {
    const dir = await profile();
    const { code, lines } = await install(dir, "official/devops/log-triage");
    expect(code).toBe(0);
    expect(lines.map((line) => line.split(" ")[0])).toEqual([
      "Fetching:",
      "Quarantined",
      "Running",
      "Scan:",
      "Decision:",
      "Installed:",
      "Files:",
    ]);
    // Where Hermes' own installer puts an official skill: under its category path.
    expect(await readdir(path.join(dir, "skills/devops/log-triage"))).toEqual(["SKILL.md", "scripts"]);
    const lock = JSON.parse(await readFile(path.join(dir, "skills/.hub/lock.json"), "utf8")) as unknown;
    expect(lock).toEqual({
      version: 1,
      installed: {
        "log-triage": {
          source: "official",
          identifier: "official/devops/log-triage",
          trust_level: "builtin",
          scan_verdict: "safe",
          // Hermes' content_hash: sha256 of paths and bytes, first 16 hex digits.
          content_hash: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) as unknown,
          install_path: "devops/log-triage",
          files: ["SKILL.md", "scripts/first-error.sh"],
          metadata: {},
          installed_at: "2026-01-02T03:04:05.000Z",
          updated_at: "2026-01-02T03:04:05.000Z",
        },
      },
    });
    const again = await install(dir, "official/devops/log-triage");
    expect(again.code).toBe(0);
    expect(again.lines.at(-1)).toMatch(/^Warning: 'log-triage' is already installed at /);
  });

  it.each([
    ["shady/skills/env-exfil", "dangerous"],
    ["shady/skills/prompt-injector", "dangerous"],
    ["shady/skills/symlink-escape", "dangerous"],
  ])(
    "WHEN %s is installed THEN it is blocked, nothing lands in skills/ and quarantine is emptied",
    async (identifier, reason) => {
      const dir = await profile();
      const { code, lines } = await install(dir, identifier);
      expect(code).toBe(1);
      expect(lines.at(-1)).toContain(`Installation blocked: `);
      expect(lines.at(-1)).toContain(reason);
      expect(await readdir(path.join(dir, "skills"))).toEqual([".hub"]);
      expect(await readdir(path.join(dir, "skills/.hub/quarantine"))).toEqual([]);
      // Hermes' audit line: stamp, action, skill name, source:trust, verdict, then the identifier.
      expect(await readFile(path.join(dir, "skills/.hub/audit.log"), "utf8")).toMatch(
        new RegExp(
          `^2026-01-02T03:04:05Z BLOCKED \\S+ github:community (dangerous|caution) ${identifier}\n$`,
        ),
      );
    },
  );

  it("WHEN a hub skill has 60 files, a binary and a symlink that stays inside THEN Hermes' structure rules decide", async () => {
    const hub = await tempDir();
    const skill = path.join(hub, "acme/big/many");
    await mkdir(path.join(skill, "refs"), { recursive: true });
    await writeFile(path.join(skill, "SKILL.md"), "---\nname: many\ndescription: x\n---\n");
    for (let index = 0; index < 60; index++) await writeFile(path.join(skill, "refs", `r${index}.md`), "ok");
    await writeFile(path.join(skill, "tool.bin"), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
    await symlink("refs/r1.md", path.join(skill, "inside.md"));
    const scan = await scanSkill(skill);
    // As Hermes' _check_structure: a .bin is critical, too many files only medium, and the symlink
    // that stays inside counts as a file.
    expect(scan.findings.map(({ patternId, severity, what }) => ({ patternId, severity, what }))).toEqual([
      {
        patternId: "binary_file",
        severity: "critical",
        what: "binary/executable file (.bin) should not be in a skill",
      },
      { patternId: "too_many_files", severity: "medium", what: "skill has 63 files (limit: 50)" },
    ]);
    expect(scan.verdict).toBe("DANGEROUS");
  });

  it("WHEN an unknown identifier is installed THEN it says it could not fetch it", async () => {
    const { code, lines } = await install(await profile(), "acme/agent-skills/missing");
    expect(code).toBe(1);
    expect(lines).toEqual([
      "Fetching: acme/agent-skills/missing",
      "Error: Could not fetch 'acme/agent-skills/missing' from any source.",
    ]);
  });
});

describe("GIVEN INSTALL_COMMAND", () => {
  it("WHEN filled THEN placeholders are replaced inside single arguments only", () => {
    const command = parseCommandTemplate("hermes -p {profile} skills install {identifier} --yes");
    expect(buildInstallCommand(command, { profile: "p1", identifier: "official/a/b", home: "/h" })).toEqual({
      ok: true,
      file: "hermes",
      args: ["-p", "p1", "skills", "install", "official/a/b", "--yes"],
    });
    expect(buildInstallCommand(command, { profile: "p1", identifier: "a b", home: "/h" }).ok).toBe(false);
    expect(buildInstallCommand(command, { profile: "../p", identifier: "official/a/b", home: "/h" }).ok).toBe(
      false,
    );
    expect(() => parseCommandTemplate("hermes skills install")).toThrow(/\{identifier\}/);
  });
});
