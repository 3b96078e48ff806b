// The scan before Create with Hermes beside the bot, judged by Hermes: for each skill, the verdict,
// trust and decision the scan shows equal what `hermes skills install <id> --yes` decides for the
// same skill (served on loopback, no internet), and the scan installs nothing.
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allowPrivateHubUrls } from "../../src/core/hub-identifier.ts";
import { scanWithHermes } from "../../src/app/install/hermes-skill-scan.ts";
import { hubScanLine } from "../../src/core/install/hub-scan.ts";
import { hermes, hermesBin, hermesEnv } from "../helpers/hermes.ts";
import { startScanSkillServer, type ScanSkillServer } from "../helpers/scan-skill-server.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
/** One scan and one install by the real Hermes, each well within this. */
const HERMES_SCAN_TEST_TIMEOUT_MS = 120_000;

let server: ScanSkillServer;
beforeAll(async () => {
  server = await startScanSkillServer();
  allowPrivateHubUrls(true);
});
afterAll(() => allowPrivateHubUrls(false));

/** What `hermes skills install` printed: its scan line's trust and verdict, and whether it refused. */
function installDecision(output: string): { trust: string; verdict: string; blocked: string | undefined } {
  const scan = /Scan: \S+ \(.*\/(\w+)\)\s+Verdict: (\w+)/.exec(output);
  const blocked = /Installation blocked: (.*)/.exec(output)?.[1]?.trim();
  return { trust: scan?.[1] ?? "?", verdict: (scan?.[2] ?? "?").toLowerCase(), blocked };
}

/** Each skill, and the Review line its scan must give. */
const CASES = (skills: ScanSkillServer) =>
  [
    { identifier: skills.safe, line: "✓ safe · community" },
    {
      identifier: skills.caution,
      line: "⚠ caution · community — will not be installed: installed with --force only",
    },
    {
      identifier: skills.dangerous,
      line: "✗ dangerous · community — will not be installed: Blocked (community source + dangerous verdict, 2 findings). --force does not override a dangerous verdict.",
    },
    { identifier: "official/research/arxiv-digest", line: "✓ safe · builtin" },
  ] as const;

describe("GIVEN hub skills picked in the wizard and the real Hermes 0.19 beside the bot", () => {
  it(
    "WHEN each is scanned before Create THEN the scan shows what `hermes skills install` decides for it, and installs nothing",
    async () => {
      const data = await tempDir();
      const env = hermesEnv(path.join(data, "bot-home"), { HERMES_ALLOW_PRIVATE_URLS: "true" });
      // Offline, Hermes' fetch waits for its network sources; scans and installs run side by side.
      const results = await Promise.all(
        CASES(server).map(async ({ identifier }, index) => {
          const profile = path.join(data, `profile-${index}`);
          await mkdir(profile);
          const [scan, install] = await Promise.all([
            scanWithHermes(identifier, {
              hermesBin: hermesBin(),
              env,
              timeoutMs: HERMES_SCAN_TEST_TIMEOUT_MS,
            }),
            hermes(profile, ["skills", "install", identifier, "--yes"], {
              HERMES_ALLOW_PRIVATE_URLS: "true",
            }),
          ]);
          return { scan, decided: installDecision(`${install.stdout}\n${install.stderr}`) };
        }),
      );
      expect(results.map(({ scan }) => hubScanLine("x/y/z", scan))).toEqual(
        CASES(server).map(({ line }) => `  x/y/z: ${line}`),
      );
      for (const { scan, decided } of results) {
        expect(scan).toMatchObject({ status: "scanned", trust: decided.trust, verdict: decided.verdict });
        if (scan.status !== "scanned") continue;
        expect(scan.allowed).toBe(decided.blocked === undefined);
        if (decided.blocked !== undefined) expect(scan.reason).toBe(decided.blocked);
      }
      // The scan left nothing behind: only the installs' profiles are there.
      expect((await readdir(data)).sort()).toEqual(["profile-0", "profile-1", "profile-2", "profile-3"]);
    },
    HERMES_SCAN_TEST_TIMEOUT_MS * 2,
  );
});
