// The Discord adapter's gateway lifecycle on its own, with a stand-in client: it serves until
// stopped, and a refused login or a gateway close Discord means for good ends it with a
// StartupError that says what to fix (exit code 3), while other failures pass through unchanged.
import { EventEmitter } from "node:events";
import { DiscordAPIError, Events, type Client, type REST } from "discord.js";
import { pino } from "pino";
import type { Agent } from "undici";
import { describe, expect, it } from "vitest";
import { DiscordGateway, FATAL_CLOSES, fatalLoginError } from "../../src/adapters/discord/gateway.ts";
import { EXIT, StartupError } from "../../src/app/system/exit.ts";

const silent = pino({ level: "silent" });

/** A client that logs in (or fails to), becomes ready, and records what was done to it. */
function standIn(login: () => Promise<string> = () => Promise.resolve("token")) {
  const calls: string[] = [];
  const client = Object.assign(new EventEmitter(), {
    user: { tag: "bot#0001" },
    login: async (token: string) => {
      calls.push(`login ${token}`);
      const result = await login();
      setImmediate(() => client.emit(Events.ClientReady, client));
      return result;
    },
    destroy: () => {
      calls.push("destroy");
      return Promise.resolve();
    },
  });
  const rest = {
    get: () => {
      calls.push("get gateway");
      return Promise.resolve({ url: "wss://gateway" });
    },
  };
  const agent = { close: () => Promise.resolve(void calls.push("close agent")) };
  const gateway = new DiscordGateway(
    client as unknown as Client,
    rest as unknown as REST,
    agent as unknown as Agent,
    { token: "the-token" },
    silent,
  );
  // Resolves a turn after the client is ready: run() has then gone on to watch for closes.
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => setImmediate(resolve)));
  return { client, rest, calls, gateway, ready };
}

/** Settles within a few event-loop turns, or reports that it is still pending. */
async function settled<T>(promise: Promise<T>): Promise<"pending" | { value: T } | { error: unknown }> {
  const outcome = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return Promise.race([
    outcome,
    new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 20)),
  ]);
}

function refusal(outcome: Awaited<ReturnType<typeof settled>>): StartupError {
  if (outcome === "pending" || !("error" in outcome))
    throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  expect(outcome.error).toBeInstanceOf(StartupError);
  const error = outcome.error as StartupError;
  expect(error.exitCode).toBe(EXIT.environment);
  return error;
}

describe("GIVEN the Discord gateway lifecycle", () => {
  it("WHEN it runs THEN it asks for the gateway, logs in with the token, serves until stopped, then closes the client and the sockets", async () => {
    const { gateway, calls, ready } = standIn();
    const running = gateway.run();
    await ready;
    expect(await settled(running)).toBe("pending");
    await gateway.stop();
    expect(await settled(running)).toEqual({ value: undefined });
    expect(calls).toEqual(["get gateway", "login the-token", "destroy", "close agent"]);
  });

  it("WHEN the gateway closes with 4004 while serving THEN run ends with the token message", async () => {
    const { gateway, client, ready } = standIn();
    const running = gateway.run();
    await ready;
    client.emit(Events.ShardDisconnect, { code: 4004 }, 0);
    expect(refusal(await settled(running)).message).toMatch(/refused DISCORD_TOKEN \(gateway close 4004/);
  });

  it("WHEN the gateway closes with 4014 while serving THEN run ends with the intents message", async () => {
    const { gateway, client, ready } = standIn();
    const running = gateway.run();
    await ready;
    client.emit(Events.ShardDisconnect, { code: 4014 }, 0);
    expect(refusal(await settled(running)).message).toMatch(/gateway intents \(gateway close 4014/);
  });

  it("WHEN the gateway closes with a code discord.js resumes after THEN the bot keeps serving", async () => {
    const { gateway, client, ready } = standIn();
    const running = gateway.run();
    await ready;
    client.emit(Events.ShardDisconnect, { code: 1006 }, 0);
    client.emit(Events.ShardDisconnect, { code: 4000 }, 0);
    expect(await settled(running)).toBe("pending");
    await gateway.stop();
    expect(await settled(running)).toEqual({ value: undefined });
  });

  it("WHEN discord.js refuses the token at login THEN run ends with the token message", async () => {
    const invalid = Object.assign(new Error("An invalid token was provided."), { code: "TokenInvalid" });
    const { gateway } = standIn(() => Promise.reject(invalid));
    expect(refusal(await settled(gateway.run())).message).toMatch(/Reset the token/);
  });

  it("WHEN login fails some other way THEN that error ends run unchanged", async () => {
    const boom = new Error("boom");
    const { gateway } = standIn(() => Promise.reject(boom));
    expect(await settled(gateway.run())).toEqual({ error: boom });
  });
});

describe("GIVEN a login failure", () => {
  it("WHEN Discord's API answers 401 THEN it is the refused-token StartupError", () => {
    const unauthorized = new DiscordAPIError(
      { code: 0, message: "401: Unauthorized" },
      0,
      401,
      "GET",
      "https://discord.com/api/v10/gateway/bot",
      {},
    );
    const error = fatalLoginError(unauthorized);
    expect(error).toBeInstanceOf(StartupError);
    expect(error.message).toMatch(/gateway close 4004/);
  });

  it("WHEN it is each fatal close as @discordjs/ws words it THEN each gets its own message naming the code", () => {
    expect(Object.keys(FATAL_CLOSES).sort()).toEqual(["4004", "4014"]);
    for (const [code, words] of Object.entries(FATAL_CLOSES)) {
      const error = fatalLoginError(new Error(words));
      expect(error).toBeInstanceOf(StartupError);
      expect(error.message).toContain(`gateway close ${code}`);
    }
  });

  it("WHEN it is not an Error at all THEN it becomes one with its text", () => {
    const error = fatalLoginError("socket hang up");
    expect(error).not.toBeInstanceOf(StartupError);
    expect(error.message).toBe("socket hang up");
  });
});
