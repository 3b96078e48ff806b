// The network-retry transformer on its own, driven with a stand-in for the rest of grammY's chain
// (`prev`) that fails on the network as a closed socket does: which calls are tried again, how
// often, how far apart, which are left to their own retries, and that every failure is logged.
import { GrammyError, HttpError, type Transformer } from "grammy";
import { describe, expect, it } from "vitest";
import {
  NETWORK_RETRIES,
  NETWORK_RETRY_DELAY_MS,
  networkRetry,
} from "../../src/adapters/telegram/network-retry.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";

const ADDRESS = "http://127.0.0.1:9";

/** What grammY throws when fetch fails: an HttpError around the socket's error. */
function networkFailure(method: string): HttpError {
  const socket = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
  return new HttpError(`Network request for '${method}' failed!`, socket);
}

/** A `prev` that fails on the network `failures` times, then answers ok; it counts its calls. */
function flakyPrev(failures: number) {
  const calls: string[] = [];
  const prev = (method: string) => {
    calls.push(method);
    if (calls.length <= failures) return Promise.reject(networkFailure(method));
    return Promise.resolve({ ok: true as const, result: { message_id: 7 } });
  };
  return { prev: prev as unknown as Parameters<Transformer>[0], calls };
}

function setUp(options: { stopping?: () => boolean } = {}) {
  const { logger, lines } = memoryLogger();
  const pauses: number[] = [];
  const transformer = networkRetry({
    logger,
    address: ADDRESS,
    stopping: options.stopping ?? (() => false),
    sleep: (ms) => {
      pauses.push(ms);
      return Promise.resolve();
    },
  });
  const call = (prev: Parameters<Transformer>[0], method: string, signal?: Parameters<Transformer>[3]) =>
    transformer(prev, method as "sendMessage", { chat_id: 1, text: "hi" }, signal);
  const unreachable = () =>
    lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line["msg"] === "Telegram API unreachable");
  return { call, pauses, unreachable };
}

describe("GIVEN the network-retry transformer", () => {
  it("WHEN a call fails on the network once THEN it is tried again after the first pause and its answer returned", async () => {
    const { call, pauses, unreachable } = setUp();
    const { prev, calls } = flakyPrev(1);
    await expect(call(prev, "sendMessage")).resolves.toEqual({ ok: true, result: { message_id: 7 } });
    expect(calls).toEqual(["sendMessage", "sendMessage"]);
    expect(pauses).toEqual([NETWORK_RETRY_DELAY_MS]);
    expect(unreachable()).toEqual([
      expect.objectContaining({ method: "sendMessage", error: "ECONNRESET", attempt: 1, address: ADDRESS }),
    ]);
  });

  it("WHEN every try fails on the network THEN it gives up after NETWORK_RETRIES more tries, pauses growing, and rethrows", async () => {
    const { call, pauses, unreachable } = setUp();
    const { prev, calls } = flakyPrev(Infinity);
    await expect(call(prev, "editMessageText")).rejects.toBeInstanceOf(HttpError);
    expect(calls).toHaveLength(NETWORK_RETRIES + 1);
    expect(pauses).toEqual(
      Array.from({ length: NETWORK_RETRIES }, (_, index) => NETWORK_RETRY_DELAY_MS * (index + 1)),
    );
    expect(unreachable().map((line) => line["attempt"])).toEqual(
      Array.from({ length: NETWORK_RETRIES + 1 }, (_, index) => index + 1),
    );
  });

  it.each(["getMe", "setMyCommands", "deleteWebhook", "getUpdates"])(
    "WHEN %s fails on the network THEN it is not tried again here (it has retries of its own), but the failure is logged",
    async (method) => {
      const { call, pauses, unreachable } = setUp();
      const { prev, calls } = flakyPrev(1);
      await expect(call(prev, method)).rejects.toBeInstanceOf(HttpError);
      expect(calls).toEqual([method]);
      expect(pauses).toEqual([]);
      expect(unreachable()).toEqual([expect.objectContaining({ method, error: "ECONNRESET" })]);
    },
  );

  it("WHEN Telegram answers with an error THEN it is rethrown at once, not retried and not logged as unreachable", async () => {
    const { call, pauses, unreachable } = setUp();
    const refusal = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      "sendMessage",
      {},
    );
    let calls = 0;
    const prev = (() => {
      calls++;
      return Promise.reject(refusal);
    }) as unknown as Parameters<Transformer>[0];
    await expect(call(prev, "sendMessage")).rejects.toBe(refusal);
    expect(calls).toBe(1);
    expect(pauses).toEqual([]);
    expect(unreachable()).toEqual([]);
  });

  it("WHEN the bot is stopping THEN a network failure is not retried, so the stop does not wait on it", async () => {
    const { call, pauses } = setUp({ stopping: () => true });
    const { prev, calls } = flakyPrev(1);
    await expect(call(prev, "sendMessage")).rejects.toBeInstanceOf(HttpError);
    expect(calls).toHaveLength(1);
    expect(pauses).toEqual([]);
  });

  it("WHEN the call's signal was aborted THEN a network failure is not retried", async () => {
    const { call, pauses } = setUp();
    const { prev, calls } = flakyPrev(1);
    const controller = new AbortController();
    controller.abort();
    await expect(
      call(prev, "sendMessage", controller.signal as unknown as Parameters<Transformer>[3]),
    ).rejects.toBeInstanceOf(HttpError);
    expect(calls).toHaveLength(1);
    expect(pauses).toEqual([]);
  });
});
