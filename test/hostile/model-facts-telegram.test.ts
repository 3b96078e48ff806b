// The Telegram bot's Model step against an Ollama server (allowed by MODEL_SERVER_HOSTS=loopback)
// whose /api/show answer is hostile: escapes, mentions and markdown in every text field, a model
// without the tools capability and a small window. Only the number and the warning of our own words
// reach the chat; Go on keeps the model; the window goes to config.yaml model.context_length.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { startHostileModelServer, type HostileModelServer } from "../helpers/hostile-model-server.ts";
import { press, say, waitFor, wizardText } from "../helpers/telegram-bot.ts";

const bots = useBots();
const servers: HostileModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const ALICE: FakeUser = { id: 1001, first_name: "Alice", username: "alice" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };

const SHOW = JSON.stringify({
  model_info: {
    "general.architecture": "@everyone",
    "@everyone.context_length": 8192,
    "general.name": "\u001b]0;pwned\u0007<b>bold</b> [x](http://evil)",
  },
  capabilities: ["completion", "@here \u202eevil"],
  license: "x".repeat(500_000),
});

describe("GIVEN the Telegram bot and an Ollama server with a hostile /api/show answer", () => {
  it("WHEN its model is picked THEN the chat shows only our warning with the number, and Go on writes the window", async () => {
    const server = await startHostileModelServer(["tiny:1b"], SHOW);
    servers.push(server);
    const { fake, data } = await bots.telegram({
      allowedUsers: [ALICE.id],
      env: { MODEL_SERVER_HOSTS: "loopback", MODEL_LIST_TIMEOUT_MS: "5000" },
    });
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    await say(fake, ALICE, ALICE_DM, "tiny-bot");
    for (const label of ["Next", "Ollama"]) await press(fake, ALICE, ALICE.id, label);
    await say(fake, ALICE, ALICE_DM, server.url);
    await waitFor(() => wizardText(fake, ALICE.id).includes("Models reported by"));
    await press(fake, ALICE, ALICE.id, "tiny:1b");
    await waitFor(() => wizardText(fake, ALICE.id).includes("Go on with this model anyway"));
    const text = wizardText(fake, ALICE.id);
    expect(text).toContain("tiny:1b cannot call tools");
    expect(text).toContain("context window of 8,192 tokens");
    for (const hostile of ["@everyone", "@here", "pwned", "<b>", "evil", "xxxxxxxxxx"])
      expect(fake.calls.map((call) => JSON.stringify(call.params)).join("\n")).not.toContain(hostile);
    for (const label of [
      "Go on with this model",
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "Next",
    ])
      await press(fake, ALICE, ALICE.id, label);
    await press(fake, ALICE, ALICE.id, "No persona");
    await press(fake, ALICE, ALICE.id, "✓ Create");
    await waitFor(() =>
      fake.botMessages(ALICE.id).some((message) => message.text.includes("Profile created")),
    );
    const config = parseYaml(
      await readFile(path.join(data, "hermes", "profiles", "tiny-bot", "config.yaml"), "utf8"),
    ) as { model: Record<string, unknown> };
    expect(config.model).toMatchObject({ default: "tiny:1b", context_length: 8192 });
  }, 60_000);
});
