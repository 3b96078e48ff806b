// HTTP interactions mode's acknowledgement: what discord.js sends as an interaction's first
// response (the callback POST) becomes the HTTP answer to Discord's request, exactly once; a
// handler out of time gets a deferral answered for it, and what it sends later becomes a webhook
// edit, a follow-up, nothing, or a refusal (late-callback.ts). Driven with a real discord.js Client
// (no login) against the strict fake Discord in HTTP interactions mode.
import { memoryInbound } from "../helpers/memory-inbound.ts";
import { generateKeyPairSync } from "node:crypto";
import type { DiscordAPIError } from "discord.js";
import {
  AttachmentBuilder,
  ButtonStyle,
  Client,
  ComponentType,
  MessageFlags,
  Routes,
  TextInputStyle,
  type BaseInteraction,
} from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HttpAnswers } from "../../src/adapters/discord/http-answers.ts";
import { interactionFromPayload } from "../../src/adapters/discord/interaction-from-payload.ts";
import { discordSignatureCheck } from "../../src/adapters/discord/interaction-signature.ts";
import { interactionsEndpoint } from "../../src/adapters/discord/interactions-endpoint.ts";
import {
  DISCORD_ACK_DEADLINE_MS,
  DISCORD_ANSWER_PROPAGATION_RETRY_DELAYS_MS,
  DISCORD_HTTP_ACK_BUDGET_MS,
} from "../../src/adapters/discord/limits.ts";
import { sendToDiscord } from "../../src/adapters/discord/outbound-guard.ts";
import { CALLBACK, FakeDiscord, GENERAL, type FakeInteraction } from "../fakes/discord/fake-discord.ts";
import { listenIngress, type IngressListener } from "../helpers/ingress-listener.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";

const ALICE = { id: "1500000000000000001", username: "alice" };
const TEST_BUDGET_MS = 300;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Handler = (interaction: BaseInteraction) => Promise<void>;

/** A client answering through HttpAnswers, its endpoint saved on a fake in HTTP interactions mode. */
async function harness(budgetMs = TEST_BUDGET_MS) {
  const fake = new FakeDiscord();
  await fake.start();
  cleanups.push(() => fake.stop());
  const { logger, lines } = memoryLogger();
  const answers = new HttpAnswers({ logger, now: () => fake.now(), budgetMs });
  const client = new Client({
    intents: [],
    rest: { api: fake.apiRoot, makeRequest: answers.wrap(sendToDiscord) },
  });
  cleanups.push(() => client.destroy());
  const state = { handler: (() => Promise.resolve()) as Handler, errors: [] as unknown[] };
  const keys = generateKeyPairSync("ed25519");
  const publicKey = Buffer.from(String(keys.publicKey.export({ format: "jwk" }).x), "base64url").toString(
    "hex",
  );
  const endpoint = interactionsEndpoint({
    signedByDiscord: discordSignatureCheck(publicKey, () => fake.now()),
    answers,
    inbound: memoryInbound(),
    dispatch: async (payload) => {
      const interaction = interactionFromPayload(client, payload);
      if (interaction)
        await state.handler(interaction).catch((error: unknown) => void state.errors.push(error));
    },
    logger,
  });
  const listener: IngressListener = await listenIngress({ "/discord/interactions": endpoint });
  cleanups.push(() => listener.close());
  await fake.useInteractionsEndpoint({
    url: `${listener.origin}/discord/interactions`,
    privateKey: keys.privateKey,
  });
  /** A message with one button, posted through a command whose reply carries it. */
  const withButton = async (): Promise<string> => {
    state.handler = async (interaction) => {
      if (interaction.isChatInputCommand())
        await interaction.reply({
          content: "pick",
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                { type: ComponentType.Button, style: ButtonStyle.Primary, label: "Go", custom_id: "go" },
              ],
            },
          ],
        });
    };
    const posted = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    return posted.messageId ?? "";
  };
  return { fake, answers, client, state, withButton, logs: () => lines.join("\n") };
}

async function acked(fake: FakeDiscord, interaction: FakeInteraction): Promise<FakeInteraction> {
  await fake.until(() => interaction.httpAnswers.length > 0, 5000, `the HTTP answer to ${interaction.id}`);
  return interaction;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("GIVEN an interaction delivered over HTTP", () => {
  it("WHEN a command replies THEN the reply is the HTTP answer (type 4), no callback goes over REST, and a follow-up still goes to Discord", async () => {
    const { fake, state } = await harness();
    state.handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: "hello", flags: MessageFlags.Ephemeral });
      await interaction.followUp({ content: "and more", flags: MessageFlags.Ephemeral });
    };
    const interaction = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    expect(interaction.httpAnswers[0]?.status).toBe(200);
    expect(JSON.parse(interaction.httpAnswers[0]?.body ?? "")).toMatchObject({
      type: 4,
      data: { content: "hello" },
    });
    await fake.until(() => interaction.followUps.length > 0, 5000, "the follow-up");
    expect(fake.original(interaction)?.content).toBe("hello");
    expect(fake.calls.filter((call) => call.path.endsWith("/callback"))).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN a command defers and then edits THEN the HTTP answer is type 5 and the edit reaches the message", async () => {
    const { fake, state } = await harness();
    state.handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: "done" });
    };
    const interaction = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    expect(interaction.acks.map((ack) => ack.type)).toEqual([CALLBACK.deferReply]);
    await fake.until(() => fake.original(interaction)?.content === "done", 5000, "the edit");
    expect(fake.violations).toEqual([]);
  });

  it("WHEN a button updates, or defers its update THEN the HTTP answer is type 7, or 6", async () => {
    const { fake, state, withButton } = await harness();
    const messageId = await withButton();
    state.handler = async (interaction) => {
      if (interaction.isButton()) await interaction.update({ content: "updated" });
    };
    const updated = await acked(fake, fake.press(ALICE, messageId, "go"));
    expect(updated.acks.map((ack) => ack.type)).toEqual([CALLBACK.update]);
    expect(fake.messages.get(messageId)?.content).toBe("updated");
    state.handler = async (interaction) => {
      if (interaction.isButton()) await interaction.deferUpdate();
    };
    const deferred = await acked(fake, fake.press(ALICE, messageId, "go"));
    expect(deferred.acks.map((ack) => ack.type)).toEqual([CALLBACK.deferUpdate]);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN a button opens a modal, and autocomplete answers THEN the HTTP answers are type 9 and type 8", async () => {
    const { fake, state, withButton } = await harness();
    const messageId = await withButton();
    state.handler = async (interaction) => {
      if (interaction.isButton())
        await interaction.showModal({
          title: "Name",
          custom_id: "form",
          components: [
            {
              type: ComponentType.ActionRow,
              components: [
                {
                  type: ComponentType.TextInput,
                  custom_id: "value",
                  label: "Value",
                  style: TextInputStyle.Short,
                },
              ],
            },
          ],
        });
      if (interaction.isAutocomplete()) await interaction.respond([{ name: "alpha", value: "alpha" }]);
    };
    const opened = await acked(fake, fake.press(ALICE, messageId, "go"));
    expect(fake.modalOf(opened)?.["title"]).toBe("Name");
    const completed = await acked(fake, fake.autocomplete(ALICE, GENERAL, "persona get", { id: "al" }, "id"));
    expect(completed.acks[0]).toMatchObject({
      type: CALLBACK.autocomplete,
      data: { choices: [{ name: "alpha" }] },
    });
    expect(fake.violations).toEqual([]);
  });

  it(`WHEN a command's handler is slower than the budget THEN a private deferral (type 5, ephemeral) is answered in time, and its late reply edits that message`, async () => {
    const { fake, state, answers } = await harness();
    state.handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await sleep(TEST_BUDGET_MS + 200);
      await interaction.reply({ content: "late but here" });
      await interaction.followUp({ content: "follow-up after", flags: MessageFlags.Ephemeral });
    };
    const interaction = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    expect(interaction.acks[0]).toMatchObject({ type: CALLBACK.deferReply, data: { flags: 64 } });
    expect(answers.stateOf(interaction.id)).toBe("fallback");
    await fake.until(() => fake.original(interaction)?.content === "late but here", 5000, "the late reply");
    await fake.until(() => interaction.followUps.length > 0, 5000, "the follow-up");
    expect(fake.original(interaction)?.ephemeralFor).toBe(ALICE.id);
    expect(interaction.acks).toHaveLength(1);
    expect(state.errors).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN a button's handler is slower than the budget THEN type 6 is answered; a late update edits the message, a late modal is refused (40060) and a late reply becomes a follow-up", async () => {
    const { fake, state, withButton } = await harness();
    const messageId = await withButton();
    const outcomes: string[] = [];
    state.handler = async (interaction) => {
      if (!interaction.isButton()) return;
      await sleep(TEST_BUDGET_MS + 200);
      await interaction
        .showModal({ title: "Late", custom_id: "late", components: [] })
        .catch((error: unknown) => outcomes.push(`modal ${String((error as DiscordAPIError).code)}`));
      await interaction.update({ content: "edited late" });
      outcomes.push("updated");
    };
    const pressed = await acked(fake, fake.press(ALICE, messageId, "go"));
    expect(pressed.acks.map((ack) => ack.type)).toEqual([CALLBACK.deferUpdate]);
    await fake.until(() => fake.messages.get(messageId)?.content === "edited late", 5000, "the late update");
    await vi.waitFor(() => expect(outcomes).toEqual(["modal 40060", "updated"]));
    state.handler = async (interaction) => {
      if (!interaction.isButton()) return;
      await sleep(TEST_BUDGET_MS + 200);
      await interaction.reply({ content: "told privately", flags: MessageFlags.Ephemeral });
    };
    const second = await acked(fake, fake.press(ALICE, messageId, "go"));
    await fake.until(() => second.followUps.length > 0, 5000, "the follow-up");
    expect(fake.messages.get(second.followUps[0] ?? "")).toMatchObject({
      content: "told privately",
      ephemeralFor: ALICE.id,
    });
    expect(fake.violations).toEqual([]);
  });

  it("WHEN autocomplete is slower than the budget THEN it is answered with no choices and the late answer is dropped harmlessly", async () => {
    const { fake, state } = await harness();
    state.handler = async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      await sleep(TEST_BUDGET_MS + 200);
      await interaction.respond([{ name: "late", value: "late" }]);
    };
    const completed = await acked(fake, fake.autocomplete(ALICE, GENERAL, "persona get", { id: "x" }, "id"));
    expect(completed.acks[0]).toMatchObject({ type: CALLBACK.autocomplete, data: { choices: [] } });
    await sleep(TEST_BUDGET_MS + 400);
    expect(state.errors).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it(`WHEN no budget is given THEN the deferral comes at DISCORD_HTTP_ACK_BUDGET_MS (${DISCORD_HTTP_ACK_BUDGET_MS} ms), inside Discord's ${DISCORD_ACK_DEADLINE_MS} ms`, async () => {
    expect(DISCORD_HTTP_ACK_BUDGET_MS).toBeLessThan(DISCORD_ACK_DEADLINE_MS);
    const { fake, state } = await harness(DISCORD_HTTP_ACK_BUDGET_MS);
    state.handler = async () => void (await sleep(DISCORD_ACK_DEADLINE_MS));
    const interaction = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    const at = (interaction.acks[0]?.at ?? Infinity) - interaction.dispatchedAt;
    expect(at).toBeGreaterThanOrEqual(DISCORD_HTTP_ACK_BUDGET_MS - 50);
    expect(at).toBeLessThan(DISCORD_ACK_DEADLINE_MS);
    expect(interaction.failed).toBeUndefined();
  }, 10_000);

  it("WHEN the handler ends without answering THEN the HTTP answer is 400 and Discord shows the interaction failed", async () => {
    const { fake, state } = await harness();
    state.handler = () => Promise.resolve();
    const interaction = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    expect(interaction.httpAnswers[0]?.status).toBe(400);
    expect(interaction.failed).toMatch(/answered 400/);
  });

  it("WHEN the first response carries a file, or asks with_response THEN discord.js is refused loudly and nothing is acknowledged by it", async () => {
    const { fake, state, logs } = await harness();
    const refusals: string[] = [];
    state.handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction
        .reply({ content: "file", files: [new AttachmentBuilder(Buffer.from("x"), { name: "x.txt" })] })
        .catch((error: unknown) => refusals.push((error as Error).message));
      await interaction
        .deferReply({ withResponse: true })
        .catch((error: unknown) => refusals.push((error as Error).message));
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    };
    const interaction = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    expect(refusals).toEqual([
      expect.stringMatching(/with files cannot be folded/),
      expect.stringMatching(/with_response/),
    ]);
    expect(logs()).toContain("a callback with files cannot be an HTTP answer");
    expect(interaction.acks.map((ack) => ack.type)).toEqual([CALLBACK.deferReply]);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN something sends a second callback for an interaction answered over HTTP THEN it is refused here (40060) and never reaches Discord", async () => {
    const { fake, state, client } = await harness();
    const codes: unknown[] = [];
    state.handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.reply({ content: "once" });
      await client.rest
        .post(Routes.interactionCallback(interaction.id, interaction.token), {
          body: { type: 4, data: { content: "twice" } },
          auth: false,
        })
        .catch((error: unknown) => codes.push((error as DiscordAPIError).code));
    };
    const interaction = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    await fake.until(() => codes.length > 0, 5000, "the refusal");
    expect(codes).toEqual([40060]);
    expect(interaction.acks).toHaveLength(1);
    expect(fake.calls.filter((call) => call.path.endsWith("/callback"))).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN Discord delivers the same interaction twice THEN the handler runs once and the duplicate gets 409", async () => {
    const { fake, state } = await harness();
    let runs = 0;
    state.handler = async (interaction) => {
      runs += 1;
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "once" });
    };
    const interaction = await acked(fake, fake.command(ALICE, GENERAL, "help"));
    expect((await fake.redeliver(interaction)).status).toBe(409);
    expect(runs).toBe(1);
    expect(interaction.acks).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  });
});

describe("GIVEN a webhook request right after an answer given over HTTP", () => {
  it(`WHEN Discord answers Unknown Webhook (10015) THEN it is sent again after ${DISCORD_ANSWER_PROPAGATION_RETRY_DELAYS_MS.join(", ")} ms at most; another 404 is returned as is`, async () => {
    const { logger } = memoryLogger();
    let now = 0;
    const slept: number[] = [];
    const answers = new HttpAnswers({
      logger,
      now: () => now,
      budgetMs: 10_000,
      sleep: (ms) => Promise.resolve(void slept.push(ms)),
    });
    const payload = {
      id: "1300000000000000001",
      token: "tok",
      application_id: "1100000000000000001",
      type: 2,
    };
    const pending = answers.answer(payload, () => new Promise(() => undefined));
    const statuses = [404, 404, 200];
    const send = answers.wrap((url) => {
      if (url.endsWith("/callback?with_response=false"))
        return Promise.resolve(new Response(null, { status: 204 }));
      const status = statuses.shift() ?? 404;
      const body = JSON.stringify(status === 404 ? { code: 10015, message: "Unknown Webhook" } : {});
      return Promise.resolve(new Response(body, { status, headers: { "content-type": "application/json" } }));
    });
    const base = "http://discord.invalid/api/v10";
    await send(`${base}/interactions/${payload.id}/tok/callback?with_response=false`, {
      method: "POST",
      body: '{"type":5,"data":{"flags":64}}',
    });
    expect((await pending).status).toBe(200);
    now = 100;
    const edited = await send(`${base}/webhooks/${payload.application_id}/tok/messages/@original`, {
      method: "PATCH",
      body: "{}",
    });
    expect(edited.status).toBe(200);
    expect(slept).toEqual([...DISCORD_ANSWER_PROPAGATION_RETRY_DELAYS_MS.slice(0, 2)]);
    statuses.push(404, 404, 404, 404, 404, 404);
    slept.length = 0;
    const gone = await send(`${base}/webhooks/${payload.application_id}/tok/messages/@original`, {
      method: "PATCH",
      body: "{}",
    });
    expect(gone.status).toBe(404);
    expect(slept).toEqual([...DISCORD_ANSWER_PROPAGATION_RETRY_DELAYS_MS]);
  });
});
