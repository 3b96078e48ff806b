// The fake Discord must refuse what the real one refuses, or the end-to-end tests prove nothing.
// These drive it with plain HTTP (no discord.js) and check that each rule bites.
import { generateKeyPairSync, verify } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { IngressRequest, IngressResponse } from "../../src/adapters/http/ingress-types.ts";
import { listenIngress, type IngressListener } from "../helpers/ingress-listener.ts";
import {
  APPLICATION_ID,
  BOT_TOKEN,
  CALLBACK,
  FakeDiscord,
  ARCHIVED,
  GENERAL,
  READ_ONLY,
  SLOW,
  type FakeInteraction,
} from "./discord/fake-discord.ts";

const ALICE = { id: "1500000000000000001", username: "alice" };
const fakes: FakeDiscord[] = [];
const listeners: IngressListener[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.stop();
  for (const listener of listeners.splice(0)) await listener.close();
});

async function started(options: ConstructorParameters<typeof FakeDiscord>[0] = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.start();
  fakes.push(fake);
  return fake;
}

async function callback(fake: FakeDiscord, interaction: FakeInteraction, body: object): Promise<Response> {
  return fetch(`${fake.apiRoot}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function buttons(count: number, id = (i: number) => `b${i}`) {
  return [
    {
      type: 1,
      components: Array.from({ length: count }, (_, i) => ({
        type: 2,
        style: 1,
        label: "x",
        custom_id: id(i),
      })),
    },
  ];
}

describe("GIVEN the fake Discord", () => {
  it("WHEN a user picks the option a single select marks as default THEN no interaction is sent, as on Discord", async () => {
    const fake = await started();
    const interaction = fake.command(ALICE, GENERAL, "help");
    const select = {
      type: 3,
      custom_id: "pick",
      min_values: 1,
      max_values: 1,
      options: [
        { label: "A", value: "a", default: true },
        { label: "B", value: "b" },
      ],
    };
    const answered = await callback(fake, interaction, {
      type: CALLBACK.reply,
      data: { content: "pick one", components: [{ type: 1, components: [select] }] },
    });
    expect(answered.status).toBe(204);
    const messageId = interaction.messageId ?? "";
    expect(() => fake.select(ALICE, messageId, "pick", ["a"])).toThrow(/sends nothing/);
    expect(fake.select(ALICE, messageId, "pick", ["b"]).id).toBeTruthy();
  });

  it("WHEN a message mentions @everyone, a role or a user THEN Discord's default pings them, and allowed_mentions parse [] pings no one", async () => {
    const fake = await started();
    const post = (body: object) =>
      fetch(`${fake.apiRoot}/v10/channels/${GENERAL}/messages`, {
        method: "POST",
        headers: { authorization: `Bot ${BOT_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const content = "@everyone <@&1400000000000000009> <@1500000000000000002>";
    expect((await post({ content })).status).toBe(200);
    expect(fake.pings.map((ping) => ping.mention)).toEqual([
      "@everyone",
      "<@&1400000000000000009>",
      "<@1500000000000000002>",
    ]);
    fake.pings.length = 0;
    expect((await post({ content, allowed_mentions: { parse: [] } })).status).toBe(200);
    expect(fake.pings).toEqual([]);
  });

  it("WHEN a command is registered without contexts or integration types THEN Discord's defaults offer it everywhere, user installs included", async () => {
    const fake = await started();
    fake.commands.global = [{ id: "1", name: "open", description: "x", type: 1 }];
    expect(fake.usableIn("open", 2, 1)).toBe(true);
    fake.commands.global = [
      { id: "1", name: "open", description: "x", type: 1, contexts: [0, 1], integration_types: [0] },
    ];
    expect(fake.usableIn("open", 2, 1)).toBe(false);
    expect(fake.usableIn("open", 1, 0)).toBe(true);
  });

  it("WHEN an interaction is acknowledged twice THEN the second gets 40060 and is recorded", async () => {
    const fake = await started();
    const interaction = fake.command(ALICE, GENERAL, "help");
    expect(
      (await callback(fake, interaction, { type: CALLBACK.deferReply, data: { flags: 64 } })).status,
    ).toBe(204);
    const second = await callback(fake, interaction, { type: CALLBACK.reply, data: { content: "x" } });
    expect(second.status).toBe(400);
    expect(((await second.json()) as { code: number }).code).toBe(40060);
    expect(fake.violations).toHaveLength(1);
  });

  it("WHEN the acknowledgement comes after the deadline THEN it is Unknown interaction (10062)", async () => {
    const fake = await started({ ackTimeoutMs: 50 });
    const interaction = fake.command(ALICE, GENERAL, "help");
    await new Promise((resolve) => setTimeout(resolve, 80));
    const late = await callback(fake, interaction, { type: CALLBACK.reply, data: { content: "x" } });
    expect(((await late.json()) as { code: number }).code).toBe(10062);
    expect(fake.violations[0]).toMatch(/after \d+ ms/);
  });

  it("WHEN a modal follows a defer, or a message breaks a size limit THEN each is refused", async () => {
    const fake = await started();
    const modalLate = fake.command(ALICE, GENERAL, "help");
    await callback(fake, modalLate, { type: CALLBACK.deferReply, data: {} });
    expect((await callback(fake, modalLate, { type: CALLBACK.modal, data: { title: "t" } })).status).toBe(
      400,
    );
    const cases: object[] = [
      { content: "x".repeat(2001) },
      { components: buttons(6) },
      { components: buttons(2, () => "same") },
      { components: buttons(1, () => "i".repeat(101)) },
      {
        components: [
          {
            type: 1,
            components: [
              {
                type: 3,
                custom_id: "s",
                options: Array.from({ length: 26 }, (_, i) => ({ label: `o${i}`, value: `v${i}` })),
              },
            ],
          },
        ],
      },
    ];
    for (const data of cases) {
      const interaction = fake.command(ALICE, GENERAL, "help");
      expect((await callback(fake, interaction, { type: CALLBACK.reply, data })).status).toBe(400);
    }
    const modal = fake.command(ALICE, GENERAL, "help");
    const sixInputs = Array.from({ length: 6 }, (_, i) => ({
      type: 1,
      components: [{ type: 4, custom_id: `f${i}`, label: "l", style: 1 }],
    }));
    expect(
      (
        await callback(fake, modal, {
          type: CALLBACK.modal,
          data: { title: "t", custom_id: "m", components: sixInputs },
        })
      ).status,
    ).toBe(400);
    expect(fake.violations.length).toBe(cases.length + 2);
  });

  it("WHEN an interaction token is older than its lifetime THEN webhook edits get 401; bot-token edits still work", async () => {
    const fake = await started();
    const interaction = fake.command(ALICE, GENERAL, "help");
    await callback(fake, interaction, { type: CALLBACK.deferReply, data: {} });
    fake.clockOffsetMs = 16 * 60 * 1000;
    const edit = await fetch(`${fake.apiRoot}/v10/webhooks/1/${interaction.token}/messages/%40original`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "late" }),
    });
    expect(((await edit.json()) as { code: number }).code).toBe(50027);
    const auth = { "content-type": "application/json", authorization: `Bot ${BOT_TOKEN}` };
    const sent = await fetch(`${fake.apiRoot}/v10/channels/${GENERAL}/messages`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ content: "status" }),
    });
    expect(sent.status).toBe(200);
    const refused = await fetch(`${fake.apiRoot}/v10/channels/${READ_ONLY}/messages`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ content: "status" }),
    });
    expect(((await refused.json()) as { code: number }).code).toBe(50013);
  });
});

describe("GIVEN the fake Discord's stricter rules (what Discord refuses and a kinder fake let through)", () => {
  const command = (options: object[]) => ({ name: "cmd", description: "d", type: 1, options });
  const sub = (name: string, options: object[] = []) => ({ type: 1, name, description: "d", options });
  const str = (name: string, required: boolean, extra: object = {}) => ({
    type: 3,
    name,
    description: "d",
    required,
    ...extra,
  });

  it.each([
    ["a required option after an optional one", [command([str("a", false), str("b", true)])]],
    ["two options with one name", [command([str("a", false), str("a", false)])]],
    [
      "26 choices",
      [
        command([
          str("a", true, {
            choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `v${i}` })),
          }),
        ]),
      ],
    ],
    [
      "a choice name over 100",
      [command([str("a", true, { choices: [{ name: "n".repeat(101), value: "v" }] })])],
    ],
    ["subcommands mixed with options", [command([sub("one"), str("a", false)])]],
    [
      "8,001 characters counted with choice values",
      [
        command([
          str("a", true, {
            choices: Array.from({ length: 25 }, (_, i) => ({
              name: `${i}`.padEnd(100, "n"),
              value: `${i}`.padEnd(100, "v"),
            })),
          }),
          str("b", true, {
            choices: Array.from({ length: 25 }, (_, i) => ({
              name: `${i}`.padEnd(100, "n"),
              value: `${i}`.padEnd(100, "v"),
            })),
          }),
        ]),
      ],
    ],
  ])("WHEN commands with %s are registered THEN Discord's 400 (50035) comes back", async (_what, body) => {
    const fake = await started();
    const response = await fetch(`${fake.apiRoot}/v10/applications/${APPLICATION_ID}/commands`, {
      method: "PUT",
      headers: { authorization: `Bot ${BOT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(50035);
  });

  const row = (component: object) => [{ type: 1, components: [component] }];
  it.each([
    [
      "a button with neither label nor emoji",
      { components: row({ type: 2, style: 1, custom_id: "b" }) },
      50035,
    ],
    ["a link button without a url", { components: row({ type: 2, style: 5, label: "go" }) }, 50035],
    [
      "a select with a value twice",
      {
        components: row({
          type: 3,
          custom_id: "s",
          options: [
            { label: "a", value: "x" },
            { label: "b", value: "x" },
          ],
        }),
      },
      50035,
    ],
    [
      "min_values above max_values",
      {
        components: row({
          type: 3,
          custom_id: "s",
          min_values: 2,
          max_values: 1,
          options: [
            { label: "a", value: "x" },
            { label: "b", value: "y" },
          ],
        }),
      },
      50035,
    ],
    ["nothing at all", { content: "" }, 50006],
  ])("WHEN a message with %s is posted THEN Discord refuses it", async (_what, body, code) => {
    const fake = await started();
    const response = await fetch(`${fake.apiRoot}/v10/channels/${GENERAL}/messages`, {
      method: "POST",
      headers: { authorization: `Bot ${BOT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: number }).code).toBe(code);
  });

  it("WHEN a deferred reply carries flags other than ephemeral THEN it is refused", async () => {
    const fake = await started();
    const interaction = fake.command(ALICE, GENERAL, "help");
    const response = await callback(fake, interaction, {
      type: CALLBACK.deferReply,
      data: { flags: 64 | 4 },
    });
    expect(response.status).toBe(400);
  });

  it("WHEN a modal comes as Label components THEN it is accepted, submitted in that shape, and a label on the inner input is refused", async () => {
    const fake = await started();
    const label = (component: object) => ({ type: 18, label: "Name", component });
    const first = fake.command(ALICE, GENERAL, "profile new");
    const ok = await callback(fake, first, {
      type: CALLBACK.modal,
      data: { custom_id: "m", title: "T", components: [label({ type: 4, custom_id: "name", style: 1 })] },
    });
    expect(ok.status).toBe(204);
    const submitted = fake.submitModal(ALICE, first, { name: "x" });
    expect(JSON.stringify(submitted.payload)).toContain('"type":18');
    const second = fake.command(ALICE, GENERAL, "profile new");
    const refused = await callback(fake, second, {
      type: CALLBACK.modal,
      data: {
        custom_id: "m",
        title: "T",
        components: [label({ type: 4, custom_id: "name", style: 1, label: "again" })],
      },
    });
    expect(refused.status).toBe(400);
  });

  it("WHEN the first follow-up comes right after deferReply THEN it replaces the loading message, as on Discord", async () => {
    const fake = await started();
    const interaction = fake.command(ALICE, GENERAL, "persona list");
    await callback(fake, interaction, { type: CALLBACK.deferReply, data: {} });
    const before = fake.messages.size;
    const response = await fetch(`${fake.apiRoot}/v10/webhooks/${APPLICATION_ID}/${interaction.token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content: "the answer", flags: 64 }),
    });
    expect(response.status).toBe(200);
    expect(fake.messages.size).toBe(before);
    expect(fake.original(interaction)?.content).toBe("the answer");
    expect(fake.original(interaction)?.ephemeralFor).toBeUndefined();
  });

  it("WHEN an interaction token edits another interaction's message THEN Discord's 404 (10008) comes back", async () => {
    const fake = await started();
    const first = fake.command(ALICE, GENERAL, "help");
    await callback(fake, first, { type: CALLBACK.reply, data: { content: "first" } });
    const second = fake.command(ALICE, GENERAL, "help");
    await callback(fake, second, { type: CALLBACK.reply, data: { content: "second" } });
    const response = await fetch(
      `${fake.apiRoot}/v10/webhooks/${APPLICATION_ID}/${second.token}/messages/${first.messageId ?? ""}`,
      {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ content: "x" }),
      },
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: number }).code).toBe(10008);
    expect(fake.original(first)?.content).toBe("first");
  });

  it("WHEN the bot posts into slow mode, an archived thread or a user's closed DMs THEN Discord's refusals come back", async () => {
    const fake = await started();
    const post = (channel: string) =>
      fetch(`${fake.apiRoot}/v10/channels/${channel}/messages`, {
        method: "POST",
        headers: { authorization: `Bot ${BOT_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ content: "status" }),
      });
    const slow = await post(SLOW);
    expect(slow.status).toBe(429);
    expect(await slow.json()).toMatchObject({ code: 20016, retry_after: 6 * 3600 });
    const archived = await post(ARCHIVED);
    expect(archived.status).toBe(400);
    expect(((await archived.json()) as { code: number }).code).toBe(50083);
    fake.dmsClosed.add(ALICE.id);
    const dm = (await (
      await fetch(`${fake.apiRoot}/v10/users/@me/channels`, {
        method: "POST",
        headers: { authorization: `Bot ${BOT_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ recipient_id: ALICE.id }),
      })
    ).json()) as { id: string };
    const closed = await post(dm.id);
    expect(closed.status).toBe(403);
    expect(((await closed.json()) as { code: number }).code).toBe(50007);
  });

  it("WHEN the fake adds network latency THEN a request's handling waits that long, inside the 3 s window", async () => {
    const fake = await started({ latencyMs: 300 });
    const interaction = fake.command(ALICE, GENERAL, "help");
    const sent = Date.now();
    await callback(fake, interaction, { type: CALLBACK.reply, data: { content: "x" } });
    expect(Date.now() - sent).toBeGreaterThanOrEqual(290);
    expect((interaction.acks[0]?.at ?? 0) - interaction.dispatchedAt).toBeGreaterThanOrEqual(290);
  });

  it("WHEN an endpoint does not answer the PING with {type:1}, or answers a bad signature with anything but 401 THEN saving its URL is refused", async () => {
    const fake = await started();
    const { privateKey } = generateKeyPairSync("ed25519");
    const lax = await endpoint(() => ({ status: 200, body: JSON.stringify({ type: 1 }) }));
    await expect(fake.useInteractionsEndpoint({ url: lax.url, privateKey })).rejects.toThrow(/not 401/);
    const deaf = await endpoint(() => ({ status: 204 }));
    await expect(fake.useInteractionsEndpoint({ url: deaf.url, privateKey })).rejects.toThrow(/PING/);
    expect(fake.interactionsEndpointUrl).toBeUndefined();
  });

  it("WHEN the endpoint URL is saved THEN each interaction is POSTed there signed with the application's key (PING and a forged request first), not sent on the gateway", async () => {
    const fake = await started();
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const { url, seen } = await endpoint(verifying(publicKey, () => ({ status: 200, body: reply("hi") })));
    await fake.useInteractionsEndpoint({ url, privateKey });
    expect(seen.map((request) => request.signed)).toEqual([true, false]);
    const interaction = fake.command(ALICE, GENERAL, "help");
    await fake.until(() => interaction.acks.length > 0, 2000, "the HTTP answer");
    expect(seen[2]).toMatchObject({ signed: true, type: 2 });
    expect(interaction.acks[0]?.type).toBe(CALLBACK.reply);
    expect(fake.original(interaction)?.content).toBe("hi");
    expect(fake.violations).toEqual([]);
  });

  it("WHEN the HTTP answer comes after the 3 s THEN the interaction failed and its token is dead (10062)", async () => {
    const fake = await started({ ackTimeoutMs: 100 });
    const { url, privateKey } = await savedEndpoint(fake, async (request) => {
      if (typeOf(request) === 2) await new Promise((resolve) => setTimeout(resolve, 200));
      return { status: 200, body: JSON.stringify({ type: CALLBACK.deferReply, data: { flags: 64 } }) };
    });
    expect(url && privateKey).toBeTruthy();
    const interaction = fake.command(ALICE, GENERAL, "help");
    await fake.until(() => interaction.httpAnswers.length > 0, 2000, "the late answer");
    expect(interaction.failed).toMatch(/after \d+ ms/);
    expect(interaction.acks).toEqual([]);
    const edit = await webhook(fake, interaction, "PATCH", { content: "too late" });
    expect(((await edit.json()) as { code: number }).code).toBe(10062);
    expect(fake.violations.length).toBeGreaterThanOrEqual(2);
  });

  it("WHEN the HTTP answer is not 200 JSON, or a callback type the interaction cannot take THEN the interaction failed", async () => {
    const fake = await started();
    let answer: IngressResponse = { status: 500 };
    await savedEndpoint(fake, () => answer);
    const refused = fake.command(ALICE, GENERAL, "help");
    await fake.until(() => refused.httpAnswers.length > 0, 2000, "the answer");
    expect(refused.failed).toMatch(/answered 500/);
    answer = { status: 200, body: JSON.stringify({ type: CALLBACK.update, data: { content: "x" } }) };
    const wrongType = fake.command(ALICE, GENERAL, "help");
    await fake.until(() => wrongType.httpAnswers.length > 0, 2000, "the answer");
    expect(wrongType.failed).toMatch(/refused/);
    expect(fake.violations.join("\n")).toMatch(/callback type 7 is not valid for interaction type 2/);
  });

  it("WHEN an interaction answered over HTTP also gets a REST callback THEN that is a second acknowledgement (40060)", async () => {
    const fake = await started();
    await savedEndpoint(fake, () => ({ status: 200, body: reply("first") }));
    const interaction = fake.command(ALICE, GENERAL, "help");
    await fake.until(() => interaction.acks.length > 0, 2000, "the HTTP answer");
    const second = await callback(fake, interaction, { type: CALLBACK.reply, data: { content: "again" } });
    expect(((await second.json()) as { code: number }).code).toBe(40060);
    expect(fake.violations[0]).toMatch(/answered over HTTP/);
  });

  it("WHEN the interaction's webhook is used before its HTTP answer is back THEN Unknown Webhook (10015), counted but not a violation", async () => {
    const fake = await started();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await savedEndpoint(fake, async (request) => {
      if (typeOf(request) === 2) await held;
      return { status: 200, body: JSON.stringify({ type: CALLBACK.deferReply, data: { flags: 64 } }) };
    });
    const interaction = fake.command(ALICE, GENERAL, "help");
    await fake.until(() => interaction.httpPending, 2000, "the delivery");
    const early = await webhook(fake, interaction, "PATCH", { content: "hello" });
    expect(((await early.json()) as { code: number }).code).toBe(10015);
    expect(fake.earlyWebhooks).toBe(1);
    release();
    await fake.until(() => interaction.acks.length > 0, 2000, "the HTTP answer");
    expect((await webhook(fake, interaction, "PATCH", { content: "hello" })).status).toBe(200);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN an interaction is delivered twice (redeliver) THEN a second 200 answer is a second acknowledgement; a refused duplicate changes nothing", async () => {
    const fake = await started();
    let answer: IngressResponse = { status: 200, body: reply("once") };
    await savedEndpoint(fake, () => answer);
    const interaction = fake.command(ALICE, GENERAL, "help");
    await fake.until(() => interaction.acks.length > 0, 2000, "the HTTP answer");
    answer = { status: 409, body: "{}" };
    expect((await fake.redeliver(interaction)).status).toBe(409);
    expect(interaction.failed).toBeUndefined();
    expect(fake.violations).toEqual([]);
    answer = { status: 200, body: reply("twice") };
    expect((await fake.redeliver(interaction)).status).toBe(200);
    expect(interaction.httpAnswers).toHaveLength(3);
    expect(fake.violations[0]).toMatch(/acknowledged twice/);
  });
});

/** A loopback endpoint that answers as `answer` says, recording what it was sent. */
async function endpoint(
  answer: (request: IngressRequest) => IngressResponse | Promise<IngressResponse>,
): Promise<{ url: string; seen: Record<string, unknown>[] }> {
  const seen: Record<string, unknown>[] = [];
  const listener = await listenIngress({
    "/discord/interactions": async (request) => {
      const answered = await answer(request);
      seen.push({ type: typeOf(request), signed: (request as { signed?: boolean }).signed });
      return answered;
    },
  });
  listeners.push(listener);
  return { url: `${listener.origin}/discord/interactions`, seen };
}

/** Checks each request's signature (as the bot must) before answering; PING gets PONG. */
function verifying(
  publicKey: ReturnType<typeof generateKeyPairSync>["publicKey"],
  answer: (request: IngressRequest) => IngressResponse | Promise<IngressResponse>,
): (request: IngressRequest) => Promise<IngressResponse> {
  return async (request) => {
    const timestamp = String(request.headers["x-signature-timestamp"]);
    const signature = Buffer.from(String(request.headers["x-signature-ed25519"]), "hex");
    const signed = verify(null, Buffer.concat([Buffer.from(timestamp), request.body]), publicKey, signature);
    // Noted on the request for endpoint() to record.
    (request as { signed?: boolean }).signed = signed;
    if (!signed) return { status: 401 };
    if (typeOf(request) === 1) return { status: 200, body: JSON.stringify({ type: 1 }) };
    return answer(request);
  };
}

/** An endpoint that passes the portal's checks, saved on the fake; `answer` takes the rest. */
async function savedEndpoint(
  fake: FakeDiscord,
  answer: (request: IngressRequest) => IngressResponse | Promise<IngressResponse>,
): Promise<{ url: string; privateKey: ReturnType<typeof generateKeyPairSync>["privateKey"] }> {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const { url } = await endpoint(verifying(publicKey, answer));
  await fake.useInteractionsEndpoint({ url, privateKey });
  return { url, privateKey };
}

function typeOf(request: IngressRequest): number {
  return Number((JSON.parse(request.body.toString()) as { type: unknown }).type);
}

function reply(content: string): string {
  return JSON.stringify({ type: CALLBACK.reply, data: { content } });
}

function webhook(
  fake: FakeDiscord,
  interaction: FakeInteraction,
  method: string,
  body: object,
): Promise<Response> {
  return fetch(`${fake.apiRoot}/v10/webhooks/${APPLICATION_ID}/${interaction.token}/messages/@original`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
