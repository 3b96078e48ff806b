// The Discord adapter's outbound side on its own (no Hermes host, no cleaning upstream): every
// request body — JSON, or a multipart form with a file — reaches Discord without terminal escapes,
// controls, bidi or zero-width characters and without the bot's secrets; a reply's file is bounded.
import { afterEach, describe, expect, it } from "vitest";
import { DiscordAdapter } from "../../src/adapters/discord/index.ts";
import { guardDiscordBody } from "../../src/adapters/discord/outbound-guard.ts";
import { DISCORD_REPLY_FILE_MAX_CHARS, replyFile } from "../../src/adapters/discord/replies.ts";
import { KnownSecrets, REDACTED } from "../../src/app/secrets/known-secrets.ts";
import { reply } from "../../src/core/reply.ts";
import { DISCORD_MESSAGE_MAX_CHARS } from "../../src/adapters/discord/limits.ts";
import type { View } from "../../src/core/view.ts";
import { answered } from "../helpers/discord-bot.ts";
import { BOT_TOKEN, FakeDiscord, GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { tokenForms, unsafeStrings } from "../helpers/echoing-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { replyingRuntime } from "../helpers/replying-runtime.ts";

const TOKEN = "discord-outbound-host-token-c41d";
recordSecret(TOKEN);
const secrets = new KnownSecrets([TOKEN]);
const ALICE: FakeUser = { id: "1500000000000000001", username: "alice" };
const HOSTILE = `name\u001b[2J\u009b31m\u202eexe\u200b token ${TOKEN} (${encodeURIComponent(TOKEN)})`;

describe("GIVEN a request body on its way to Discord", () => {
  it("WHEN it is JSON quoting a secret and control characters THEN every string is made safe and the rest kept", async () => {
    const body = JSON.stringify({
      type: 4,
      data: {
        content: HOSTILE,
        flags: 64,
        components: [{ type: 1, components: [{ type: 2, label: HOSTILE, custom_id: "p:1:keep" }] }],
      },
    });
    const safe = JSON.parse((await guardDiscordBody(body, secrets)) as string) as {
      data: { content: string; flags: number; components: { components: { custom_id: string }[] }[] };
    };
    expect(safe.data.content).toContain(REDACTED);
    expect(safe.data.flags).toBe(64);
    expect(safe.data.components[0]?.components[0]?.custom_id).toBe("p:1:keep");
    for (const form of tokenForms(TOKEN)) expect(JSON.stringify(safe)).not.toContain(form);
    expect(unsafeStrings(safe)).toEqual([]);
  });

  it("WHEN a message's content fit before a secret in it was redacted THEN it is cut to Discord's 2,000 characters", async () => {
    // A secret shorter than the marker "[redacted]" makes the text longer.
    const short = "k8secret";
    recordSecret(short);
    const content = `${"a".repeat(DISCORD_MESSAGE_MAX_CHARS - 5 * short.length)}${short.repeat(5)}`;
    for (const body of [{ content }, { type: 4, data: { content } }]) {
      const safe = JSON.parse(
        (await guardDiscordBody(JSON.stringify(body), new KnownSecrets([short]))) as string,
      ) as {
        content?: string;
        data?: { content: string };
      };
      const text = safe.content ?? safe.data?.content ?? "";
      expect(text.length).toBe(DISCORD_MESSAGE_MAX_CHARS);
      expect(text).not.toContain(short);
    }
  });

  it("WHEN it is a form with payload_json and a text file THEN both are made safe and the file keeps its name", async () => {
    const form = new FormData();
    form.append("files[0]", new Blob([`line 1\n${HOSTILE}\n`]), "reply.txt");
    form.append("payload_json", JSON.stringify({ content: HOSTILE }));
    const safe = (await guardDiscordBody(form, secrets)) as FormData;
    const file = safe.get("files[0]") as File;
    expect(file.name).toBe("reply.txt");
    const text = await file.text();
    expect(text.startsWith("line 1\nname")).toBe(true);
    const payload = safe.get("payload_json") as string;
    for (const form of tokenForms(TOKEN)) expect(text + payload).not.toContain(form);
    expect(unsafeStrings([text, JSON.parse(payload)])).toEqual([]);
  });

  it("WHEN a reply's file would be 4 MB THEN it is cut to the bound and says how much was left out", () => {
    const file = replyFile({ name: "reply.txt", content: "x".repeat(4_000_000) });
    expect(file.content.length).toBeLessThanOrEqual(DISCORD_REPLY_FILE_MAX_CHARS);
    expect(file.content).toMatch(/more characters not shown: a reply file is at most 262,144 characters\./);
    expect(replyFile({ name: "a.md", content: "short" })).toEqual({ name: "a.md", content: "short" });
  });
});

const fakes: FakeDiscord[] = [];
const adapters: DiscordAdapter[] = [];
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.stop();
  for (const fake of fakes.splice(0)) await fake.stop();
});

/** A Discord adapter logged in to the fake, its commands answering with `answer`, no app behind it. */
async function adapterWith(answer: string) {
  const fake = new FakeDiscord();
  await fake.start();
  fakes.push(fake);
  const { logger } = memoryLogger();
  const adapter = new DiscordAdapter(
    replyingRuntime(reply(answer)),
    {
      token: BOT_TOKEN,
      apiRoot: fake.apiRoot,
      allowedUsers: new Set([ALICE.id]),
      allowedRoles: new Set(),
      now: () => fake.now(),
      secrets,
    },
    logger,
  );
  adapters.push(adapter);
  const ready = new Promise<void>((resolve) => adapter.client.once("clientReady", () => resolve()));
  void adapter.run();
  await ready;
  return { fake, adapter };
}

/** Everything the bot sent to the fake: request bodies and the messages they made, files included. */
function sent(fake: FakeDiscord): unknown[] {
  return [fake.calls.map((call) => call.body), [...fake.messages.values()]];
}

describe("GIVEN the Discord adapter with the bot's secrets and nothing cleaned upstream", () => {
  it("WHEN a command's reply is a 4 MB flood quoting the token and control characters THEN Discord gets one bounded file and no token or unsafe character anywhere", async () => {
    const flood = Array.from(
      { length: 40 },
      (_, index) => `• ${HOSTILE} ${index} ${"x".repeat(100_000)}`,
    ).join("\n");
    const { fake } = await adapterWith(flood);
    await answered(fake, fake.command(ALICE, GENERAL, "profile list"));
    const files = [...fake.messages.values()].flatMap((message) => message.attachments);
    expect(files).toHaveLength(1);
    expect(files[0]?.content.length).toBeLessThanOrEqual(DISCORD_REPLY_FILE_MAX_CHARS);
    expect(files[0]?.content).toContain("more characters not shown");
    // The message that carries the file says it was cut, not that it is the full text.
    const carrier = [...fake.messages.values()].find((message) => message.attachments.length > 0);
    expect(carrier?.content).toContain("cut at 262,144 characters");
    for (const form of tokenForms(TOKEN)) expect(fake.transcript()).not.toContain(form);
    expect(unsafeStrings(sent(fake))).toEqual([]);
  });

  it("WHEN a status message carries the token and control characters THEN the channel message has neither", async () => {
    const { fake, adapter } = await adapterWith("unused");
    const view: View = {
      sessionId: "s1",
      rev: 0,
      title: `Installs ${HOSTILE}`,
      body: [HOSTILE],
      buttons: [[{ label: `Cancel ${HOSTILE}`, token: "i:g1:cancel" }]],
      final: false,
    };
    const status = await adapter.sendStatus(GENERAL, view);
    expect(status.ok).toBe(true);
    expect(
      fake
        .channelMessages(GENERAL)
        .map((message) => message.content)
        .join("\n"),
    ).toContain("Installs name");
    for (const form of tokenForms(TOKEN)) expect(fake.transcript()).not.toContain(form);
    expect(unsafeStrings(sent(fake))).toEqual([]);
  });
});
