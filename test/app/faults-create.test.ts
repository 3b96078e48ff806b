// Create when the disk says no: the profiles root made immutable (refuses writes even for root),
// and a profiles root on a 256 KiB tmpfs that fills up part-way through a create. Each time Create
// fails with a clear message, nothing half-written remains, the wizard stays at Review, and a retry
// once the disk is fine creates the profile. Both need root (chattr, mount); without it they skip
// and say why.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { WizardRunner } from "../../src/app/runtime/wizard-runner.ts";
import type { Actor } from "../../src/core/wizard/index.ts";
import { localBackend } from "../helpers/backend.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { RecordingOutput } from "../helpers/recording-output.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";

const ALICE: Actor = { id: "u:alice", name: "alice" };
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function can(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Probes once whether this machine lets the test use chattr +i and a size-limited tmpfs. */
function probe(): { immutable: boolean; tmpfs: boolean } {
  const dir = execFileSync("mktemp", ["-d"]).toString().trim();
  const immutable = can("chattr", ["+i", dir]) && can("chattr", ["-i", dir]);
  const tmpfs = can("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]) && can("umount", [dir]);
  execFileSync("rm", ["-rf", dir]);
  return { immutable, tmpfs };
}
const CAN = probe();

async function setup(profilesRoot: string) {
  const data = await mkdtemp(path.join(os.tmpdir(), "blueprint-faults-"));
  cleanups.push(() => execFileSync("rm", ["-rf", data]));
  const { logger, lines } = memoryLogger();
  const store = await BotStore.open(path.join(data, "store.json"), logger, { flushDelayMs: 5 });
  const runner = new WizardRunner({
    store,
    library: await shippedLibrary(),
    logger,
    backend: await localBackend({ hermesHome: path.dirname(profilesRoot), profilesRoot }),
    modelListTimeoutMs: 100,
  });
  const output = new RecordingOutput();
  runner.attach("console", output);
  return { runner, output, store, logs: lines };
}

async function toReview(runner: WizardRunner, output: RecordingOutput, name: string): Promise<string> {
  const { id } = await runner.start(ALICE, "console", "c1");
  await runner.text(id, ALICE, name);
  for (const label of [
    "Next",
    "OpenRouter",
    "anthropic/claude-sonnet-4",
    "Skip",
    "Optional skills",
    "Hub skills",
    "Done",
    "MCP servers",
    "Next",
    "No persona",
  ])
    await output.press(runner, id, label, ALICE);
  expect((await runner.peek(id))?.step).toBe("review");
  return id;
}

describe("GIVEN a profiles root that refuses writes", () => {
  it.skipIf(!CAN.immutable)(
    "WHEN it is immutable THEN Create fails clearly, nothing is written, the wizard stays at Review, and a retry works once writable",
    async () => {
      const hermes = await mkdtemp(path.join(os.tmpdir(), "blueprint-ro-"));
      const root = path.join(hermes, "profiles");
      await mkdir(root);
      cleanups.push(() => execFileSync("rm", ["-rf", hermes]));
      execFileSync("chattr", ["+i", root]);
      cleanups.push(() => can("chattr", ["-i", root]));
      const { runner, output } = await setup(root);
      const id = await toReview(runner, output, "ro-bot");
      await output.press(runner, id, "✓ Create", ALICE);
      expect((await runner.peek(id))?.step).toBe("review");
      const notice = output.view(id).notice;
      expect(notice?.tone).toBe("error");
      expect(notice?.text).toMatch(/EPERM|not permitted|cannot write|could not/i);
      expect(await readdir(root)).toEqual([]);
      execFileSync("chattr", ["-i", root]);
      await output.press(runner, id, "✓ Create", ALICE);
      expect(output.view(id).title).toBe("Profile created");
      expect(await readdir(root)).toEqual(["ro-bot"]);
    },
  );

  it.skipIf(!CAN.tmpfs)(
    "WHEN the disk fills up part-way THEN the half-built staging folder is removed, the wizard stays at Review, and a retry works once there is room",
    async () => {
      const mountPoint = await mkdtemp(path.join(os.tmpdir(), "blueprint-full-"));
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mountPoint]);
      cleanups.push(() => {
        can("umount", [mountPoint]);
        execFileSync("rm", ["-rf", mountPoint]);
      });
      const root = path.join(mountPoint, "profiles");
      await mkdir(root);
      // Leave less room than a profile with the built-in skills needs, but enough to start one.
      await writeFile(path.join(mountPoint, "filler"), Buffer.alloc(256 * 1024 - 16 * 1024));
      const { runner, output, logs } = await setup(root);
      const id = await toReview(runner, output, "full-bot");
      await output.press(runner, id, "✓ Create", ALICE);
      expect((await runner.peek(id))?.step).toBe("review");
      expect(output.view(id).notice?.text).toMatch(/ENOSPC|no space|disk/i);
      expect(await readdir(root)).toEqual([]);
      expect(logs.join("\n")).not.toContain("sk-");
      await rm(path.join(mountPoint, "filler"));
      await output.press(runner, id, "✓ Create", ALICE);
      expect(output.view(id).title).toBe("Profile created");
      expect(await readdir(root)).toEqual(["full-bot"]);
    },
  );
});
