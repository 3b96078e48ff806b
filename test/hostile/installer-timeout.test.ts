// Problem 9 of the hostile-answers issue: an installer whose descendant leaves the process group
// (`setsid sleep … &`) and keeps the inherited stdout open. The group kill at the deadline cannot
// reach it, and waiting for the pipe to close would wait for it: the job must still end at its
// timeout (or at Cancel), freeing the install slot and the profile for the next install.
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installCommandFor } from "../../src/app/install/install-command-template.ts";
import { LocalInstallExecutor } from "../../src/app/install/local-install-executor.ts";
import { runCli } from "../helpers/cli.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { storedCollections } from "../helpers/store-files.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { consoleWizard, piped } from "../helpers/console-wizard.ts";

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

/**
 * `escape-*` identifiers: a descendant leaves the group holding stdout, and the installer stalls;
 * `daemon-*`: the installer installs, leaves such a descendant behind and exits; the rest install.
 */
const ESCAPING_INSTALLER = [
  'case "$ID" in',
  "  *daemon*)",
  '    node "$RECORD_LOCK" "${ID##*/}" "$ID"',
  "    setsid sleep 1000 &",
  '    echo $! > "$HERMES_HOME/daemon.pid"',
  '    echo "Installed: ${ID##*/}" ;;',
  "  *escape*)",
  '    echo "Fetching: $ID"',
  "    setsid sleep 1000 &",
  '    echo $! > "$HERMES_HOME/escaped.pid"',
  "    sleep 1000 ;;",
  "  *)",
  '    node "$RECORD_LOCK" "${ID##*/}" "$ID"',
  '    echo "Installed: ${ID##*/}" ;;',
  "esac",
];

describe("GIVEN an installer whose descendant leaves its process group and holds its output open", () => {
  it("WHEN a console Create installs it and then another skill into the same profile THEN the first ends as timed out and the second still installs", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), { install: ESCAPING_INSTALLER });
    escapedPidFiles.push(path.join(data, "hermes/profiles/stuck/escaped.pid"));
    const input = piped(
      consoleWizard({ name: "stuck", hub: "acme/agent-skills/escape-artist acme/agent-skills/after-it" }),
    );
    const result = await runCli(["start"], {
      input,
      env: {
        DATA_DIR: data,
        HERMES_BIN: hermes.bin,
        INSTALL_TIMEOUT_S: "2",
        PROGRESS_MIN_INTERVAL_MS: "200",
      },
    });
    expect(result.code).toBe(0);
    const finalStatus = result.stdout.slice(result.stdout.lastIndexOf("━━ Hub skills for 'stuck' ━━"));
    expect(finalStatus).toContain("⏱ acme/agent-skills/escape-artist: timed out — no end after 2 s");
    expect(finalStatus).toContain("✓ acme/agent-skills/after-it: installed");
    const installs = (storedCollections(data)?.["installs"] ?? {}) as Record<
      string,
      { jobs: { status: string; phase: string }[] }
    >;
    expect(Object.values(installs)[0]?.jobs.map((job) => [job.status, job.phase])).toEqual([
      ["failed", "timed out"],
      ["done", "installed"],
    ]);
  }, 60_000);

  it("WHEN the installer installs and exits, leaving such a descendant behind THEN the job ends as installed, without waiting for the deadline", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), { install: ESCAPING_INSTALLER });
    escapedPidFiles.push(path.join(data, "hermes/profiles/daemon/daemon.pid"));
    const input = piped(consoleWizard({ name: "daemon", hub: "acme/agent-skills/daemon-left" }));
    const result = await runCli(["start"], {
      input,
      // A deadline far beyond the test's own: reaching it would fail the test.
      env: {
        DATA_DIR: data,
        HERMES_BIN: hermes.bin,
        INSTALL_TIMEOUT_S: "3600",
        PROGRESS_MIN_INTERVAL_MS: "200",
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✓ acme/agent-skills/daemon-left: installed — daemon-left");
  }, 60_000);

  it("WHEN Cancel is pressed while it runs THEN the install ends as canceled", async () => {
    const hermes = await writeHostileHermes(await tempDir(), { install: ESCAPING_INSTALLER });
    const root = await tempDir();
    const profileDir = path.join(root, "p1");
    await mkdir(profileDir, { recursive: true });
    escapedPidFiles.push(path.join(profileDir, "escaped.pid"));
    const executor = new LocalInstallExecutor(installCommandFor({}, { bin: hermes.bin }), root);
    const cancel = new AbortController();
    const end = await executor.run(
      { profile: "p1", identifier: "acme/agent-skills/escape-artist" },
      {
        onLine: (line) => {
          if (line.startsWith("Fetching:")) setTimeout(() => cancel.abort(), 200);
        },
        signal: cancel.signal,
        timeoutMs: 600_000,
      },
    );
    expect(end).toEqual({ kind: "canceled" });
  }, 60_000);
});
