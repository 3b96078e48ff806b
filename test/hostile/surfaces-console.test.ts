// The console bot (`blueprint start`, piped, as `npm start` runs it) with HERMES_URL + HERMES_TOKEN
// pointing at a hostile dashboard: whatever the host answers, the terminal never gets the token,
// an escape sequence, a control, C1 or bidi character, a forged line or a flood, the log never
// gets the token, and the bot answers the next command.
import { SHOW_LIST_MAX } from "../../src/app/profile/profile-service.ts";
import { describe, expect, it } from "vitest";
import { CONSOLE_PRINT_MAX_CHARS } from "../../src/adapters/console/printable.ts";
import { runCli, type CliResult } from "../helpers/cli.ts";
import {
  type DashboardMode,
  FORGED_LINE,
  startEchoingDashboard,
  tokenForms,
  UNSAFE_OUTBOUND_CHARS,
  WIDE_MCP_SERVERS,
  WIDE_PROFILE,
} from "../helpers/echoing-dashboard.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import path from "node:path";

const tempDir = useTempDirs();
const TOKEN = "surfaces-console-dashboard-token-4d1e";

async function consoleBot(
  mode: DashboardMode,
  input = "/profile list\n/profile list\n/help\n",
): Promise<CliResult> {
  const host = await startEchoingDashboard(mode, TOKEN);
  try {
    const data = await tempDir();
    return await runCli(["start"], {
      input,
      env: { DATA_DIR: data, HOME: path.join(data, "user-home"), HERMES_URL: host.url, HERMES_TOKEN: TOKEN },
    });
  } finally {
    await host.stop();
  }
}

function expectSafeAndAlive(result: CliResult): void {
  expect(result.code).toBe(0);
  for (const form of tokenForms(TOKEN)) {
    expect(result.stdout).not.toContain(form);
    expect(result.stderr).not.toContain(form);
  }
  expect(result.stdout).not.toMatch(UNSAFE_OUTBOUND_CHARS);
  expect(result.stdout.split("\n").some((line) => line.trimStart().startsWith(FORGED_LINE))).toBe(false);
  // The bot outlived both answers: /help after them is answered.
  expect(result.stdout).toContain("Commands:");
}

describe("GIVEN a console bot whose Hermes dashboard echoes the token it receives into its errors", () => {
  it("WHEN /profile list fails twice THEN neither the terminal nor the log shows the token or the host's escapes, and /help is answered", async () => {
    const result = await consoleBot("echo");
    expectSafeAndAlive(result);
    expect(result.stdout).toContain("✗ Hermes at 127.0.0.1");
  }, 60_000);
});

describe("GIVEN a console bot whose Hermes dashboard lists 40 profiles of 100 KB names full of escapes", () => {
  it("WHEN /profile list is asked twice THEN each answer is bounded, no escape or control character reaches the terminal, no line is forged, and /help is answered", async () => {
    const result = await consoleBot("flood");
    expectSafeAndAlive(result);
    // Two answers, a banner and the help: far below the 8 MB the two lists would print in full.
    expect(result.stdout.length).toBeLessThan(3 * CONSOLE_PRINT_MAX_CHARS);
  }, 90_000);
});

describe("GIVEN a console bot whose Hermes dashboard holds a profile with 20,000 MCP servers and 5,000 .env keys named with its token and escapes", () => {
  it("WHEN /profile show is asked THEN the answer names the first of each list and how many more, with neither the token nor an escape, and /help is answered", async () => {
    const result = await consoleBot("wide", `/profile show ${WIDE_PROFILE}\n/help\n`);
    expectSafeAndAlive(result);
    expect(result.stdout).toContain(`Profile '${WIDE_PROFILE}'`);
    expect(result.stdout).toContain(`…and ${WIDE_MCP_SERVERS - SHOW_LIST_MAX} more`);
    expect(result.stdout.length).toBeLessThan(2 * CONSOLE_PRINT_MAX_CHARS);
  }, 90_000);
});
