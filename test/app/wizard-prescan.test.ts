// The runner's part of the scan before Create: the hub skills a wizard picks are handed to the
// scanner as soon as they are picked, Review reads the results through the wizard's context and is
// shown again when a scan ends, and a wizard that creates on a Hermes host scans nothing.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HubPrescanner } from "../../src/app/install/hub-prescan.ts";
import type { ProfileBackend } from "../../src/app/ports/profile-backend.ts";
import type { PortResult, WizardOutput } from "../../src/app/ports/wizard-output.ts";
import { WizardRunner } from "../../src/app/runtime/wizard-runner.ts";
import { BotStore } from "../../src/app/store/bot-store.ts";
import type { HubScan } from "../../src/core/install/hub-scan.ts";
import type { View } from "../../src/core/view.ts";
import type { WizardState } from "../../src/core/wizard/index.ts";
import { localBackend } from "../helpers/backend.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { ALICE } from "../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const openStores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(openStores.splice(0).map((store) => store.flush()));
});

const SKILL = "shady/skills/env-exfil";
const BLOCKED: HubScan = {
  status: "scanned",
  verdict: "dangerous",
  trust: "community",
  allowed: false,
  forceOnly: false,
  reason: "never installed",
};

class Views implements WizardOutput {
  views: View[] = [];
  render(_state: WizardState, view: View): Promise<void> {
    this.views.push(view);
    return Promise.resolve();
  }
  notify(): Promise<void> {
    return Promise.resolve();
  }
  sendStatus(): Promise<PortResult> {
    return Promise.resolve({ ok: true, ref: "m1" });
  }
  editStatus(): Promise<PortResult> {
    return Promise.resolve({ ok: true });
  }
  get body(): string {
    return this.views.at(-1)?.body.join("\n") ?? "";
  }
  token(label: string): string {
    const view = this.views.at(-1);
    const found = [...(view?.choices?.items ?? []), ...(view?.buttons.flat() ?? [])].find((entry) =>
      entry.label.startsWith(label),
    );
    if (!found) throw new Error(`no '${label}'`);
    return found.token;
  }
}

/** A runner whose scans end when the test says so. */
async function setup(host?: string) {
  const root = await tempDir();
  const store = await BotStore.open(path.join(root, "store.json"), memoryLogger().logger, {
    flushDelayMs: 5,
  });
  openStores.push(store);
  const local = await localBackend({ hermesHome: path.join(root, "hermes") });
  // The same backend, but named as a Hermes host (where the host's own scanner decides).
  const backend: ProfileBackend = host
    ? (Object.create(local, { host: { value: host }, cannotSet: { value: [] } }) as ProfileBackend)
    : local;
  const requested: string[] = [];
  let finish: (scan: HubScan) => void = () => undefined;
  const runnerRef: { current?: WizardRunner } = {};
  const prescan = new HubPrescanner(
    (identifier) => {
      requested.push(identifier);
      return new Promise<HubScan>((resolve) => (finish = resolve));
    },
    { onDone: (identifier) => void runnerRef.current?.hubScanned(identifier) },
  );
  const runner = new WizardRunner({
    store,
    library: await shippedLibrary(),
    logger: memoryLogger().logger,
    backend,
    modelListTimeoutMs: 500,
    prescan,
  });
  runnerRef.current = runner;
  const output = new Views();
  runner.attach("console", output);
  return { runner, output, prescan, requested, finish: (scan: HubScan) => finish(scan) };
}

async function toReview(runner: WizardRunner, output: Views): Promise<void> {
  const state = await runner.start(ALICE, "console", "chat-1");
  await runner.text(state.id, ALICE, "scanned");
  for (const label of ["Next", "OpenAI", "gpt-4.1", "Skip", "Optional skills", "Hub skills"])
    await runner.press(output.token(label), ALICE);
  await runner.text(state.id, ALICE, SKILL);
  for (const label of ["Done ▶", "MCP servers", "Next", "No persona"])
    await runner.press(output.token(label), ALICE);
}

describe("GIVEN the runner with a scanner", () => {
  it("WHEN a hub skill is picked THEN its scan starts at once, Review shows scanning…, and Review is shown again with the verdict when the scan ends", async () => {
    const { runner, output, prescan, requested, finish } = await setup();
    await toReview(runner, output);
    expect(requested).toEqual([SKILL]);
    expect(output.body).toContain(`${SKILL}: scanning…`);
    const shown = output.views.length;
    finish(BLOCKED);
    await prescan.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output.views.length).toBe(shown + 1);
    expect(output.body).toContain(
      `${SKILL}: ✗ dangerous · community — will not be installed: never installed`,
    );
  });

  it("WHEN the scan ends after Create was pressed THEN nothing is shown again (no second Review, no second 'created')", async () => {
    const { runner, output, prescan, finish } = await setup();
    await toReview(runner, output);
    const shown = output.views.length;
    // The scan ends while Create is still on its way through the session's queue.
    const create = runner.press(output.token("✓ Create"), ALICE);
    finish(BLOCKED);
    await create;
    await prescan.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output.views.slice(shown).map((view) => view.title)).toEqual(["Creating", "Profile created"]);
  });

  it("WHEN the wizard creates on a Hermes host THEN nothing is scanned and Review lists the skill as before", async () => {
    const { runner, output, requested } = await setup("hermes-box:9119");
    await toReview(runner, output);
    expect(requested).toEqual([]);
    expect(output.body).toContain(`Hub skills (installed after Create): ${SKILL}`);
  });
});
