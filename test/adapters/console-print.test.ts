// The console adapter's outbound side on its own (no Hermes host, no cleaning upstream): whatever
// text reaches it — a command's reply, a notice, a status block — is printed without terminal
// escapes, controls, bidi or zero-width characters, without the bot's secrets, and bounded.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../src/adapters/console/index.ts";
import { CONSOLE_PRINT_MAX_CHARS, printable } from "../../src/adapters/console/printable.ts";
import { KnownSecrets, REDACTED } from "../../src/app/secrets/known-secrets.ts";
import { reply } from "../../src/core/reply.ts";
import type { View } from "../../src/core/view.ts";
import type { WizardState } from "../../src/core/wizard/index.ts";
import { tokenForms, UNSAFE_OUTBOUND_CHARS } from "../helpers/echoing-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { replyingRuntime } from "../helpers/replying-runtime.ts";

const TOKEN = "console-print-host-token-92be";
recordSecret(TOKEN);
const secrets = new KnownSecrets([TOKEN]);
const HOSTILE = `name\u001b[2J\u001b]0;title\u0007\u009b31m\u202eexe\u200b token ${TOKEN} (${encodeURIComponent(TOKEN)})`;

describe("GIVEN a text the console is about to print", () => {
  it("WHEN it carries escapes and a secret THEN it is printable: layout kept, the rest gone", () => {
    expect(printable(`━━ A ━━\n  1) ${HOSTILE}`, secrets)).toBe(
      `━━ A ━━\n  1) name31mexe token ${REDACTED} (${REDACTED})`,
    );
  });

  it("WHEN it is 4 MB THEN it is cut to the bound, saying how much was left out", () => {
    const printed = printable("x".repeat(4_000_000), secrets);
    expect(printed.length).toBeLessThanOrEqual(CONSOLE_PRINT_MAX_CHARS);
    expect(printed).toMatch(
      /more characters not shown: one answer here is at most 32,000 characters\. .*\/profile show <name>\.$/,
    );
  });
});

describe("GIVEN the console adapter with the bot's secrets and nothing cleaned upstream", () => {
  it("WHEN a command's reply, a notice and a status block carry a flood, the token and escapes THEN the terminal gets none of it and the output is bounded", async () => {
    const flood = Array.from(
      { length: 40 },
      (_, index) => `• ${HOSTILE} ${index} ${"x".repeat(100_000)}`,
    ).join("\n");
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => (printed += chunk.toString("utf8")));
    const adapter = new ConsoleAdapter(
      replyingRuntime(reply(flood)),
      { input, output, isTTY: false, secrets },
      { id: "console:test", name: "test" },
    );
    const view: View = {
      sessionId: "s",
      rev: 0,
      title: HOSTILE,
      body: [HOSTILE],
      buttons: [[{ label: HOSTILE, token: "i:g:cancel" }]],
      final: false,
    };
    await adapter.notify({} as WizardState, "console:test", HOSTILE);
    await adapter.sendStatus("terminal", view);
    const running = adapter.run();
    input.end("/profile list\n");
    await running;
    expect(printed).toContain("• name31mexe token");
    expect(printed).toContain("more characters not shown");
    expect(printed.length).toBeLessThan(4 * CONSOLE_PRINT_MAX_CHARS);
    for (const form of tokenForms(TOKEN)) expect(printed).not.toContain(form);
    expect(printed).not.toMatch(UNSAFE_OUTBOUND_CHARS);
  });
});
