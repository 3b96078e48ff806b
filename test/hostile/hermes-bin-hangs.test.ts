// Problem 9 of the hostile-answers issue, for the other Hermes subprocesses: `hermes skills search`
// and the discovery probe, each with a descendant that leaves the process group and keeps the
// output pipe open. The deadline must end the wait (the group kill cannot reach that descendant).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { discoverHermes, HERMES_PROBE_TIMEOUT_MS } from "../../src/app/hermes/discover.ts";
import { searchWithHermes } from "../../src/app/hub-search/hermes-hub-search.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

/** The escaped processes these tests started, ended by their ids after each test. */
const escapedPidFiles: string[] = [];
afterEach(async () => {
  for (const file of escapedPidFiles.splice(0)) {
    const pid = Number((await readFile(file, "utf8").catch(() => "")).trim());
    if (pid > 0) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
});

/** Shell lines: a descendant leaves the group holding stdout (its pid kept in `pidFile`), then a stall. */
const escapeAndStall = (pidFile: string) => [
  `  setsid sleep 1000 &`,
  `  echo $! > '${pidFile}'`,
  "  sleep 1000",
];

describe("GIVEN a Hermes whose subprocesses leave a descendant holding their output", () => {
  it("WHEN the hub search runs past its deadline THEN it ends saying Hermes did not answer", async () => {
    const dir = await tempDir();
    const pidFile = path.join(dir, "escaped.pid");
    escapedPidFiles.push(pidFile);
    const hermes = await writeHostileHermes(dir, { search: escapeAndStall(pidFile) });
    const answer = await searchWithHermes(hermes.bin, { PATH: process.env["PATH"] ?? "" }, "anything", 1000);
    expect(answer).toEqual({ ok: false, reason: "Hermes did not answer in 1 s" });
  }, 30_000);

  it(
    "WHEN the discovery probe runs past its deadline THEN that Hermes is reported as not answering",
    async () => {
      const dir = await tempDir();
      const pidFile = path.join(dir, "escaped.pid");
      escapedPidFiles.push(pidFile);
      const hermes = await writeHostileHermes(dir, { probeScript: escapeAndStall(pidFile) });
      const found = await discoverHermes(hermes.bin, { PATH: process.env["PATH"] ?? "" });
      expect(found).toEqual({
        status: "broken",
        bin: hermes.bin,
        reason: `asking Hermes for its folders failed: no answer in ${HERMES_PROBE_TIMEOUT_MS / 1000} s`,
      });
    },
    HERMES_PROBE_TIMEOUT_MS + 20_000,
  );
});
