// The fake Discord must refuse what the real one refuses, or the end-to-end tests prove nothing.
// These drive it with plain HTTP (no discord.js) and check that each rule bites.
import { afterEach, describe, expect, it } from "vitest";
import {
  BOT_TOKEN,
  CALLBACK,
  FakeDiscord,
  GENERAL,
  READ_ONLY,
  type FakeInteraction,
} from "./discord/fake-discord.ts";

const ALICE = { id: "1500000000000000001", username: "alice" };
const fakes: FakeDiscord[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.stop();
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
