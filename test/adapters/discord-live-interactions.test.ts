// The Discord adapter's live-interaction bookkeeping on its own, on a clock the test moves: which
// interaction shows which wizard, how old its token is (from when the bot received it, not when
// Discord created it), when dead ones are pruned, and what a channel last said the bot may do.
import { PermissionFlagsBits, PermissionsBitField, type RepliableInteraction } from "discord.js";
import { describe, expect, it } from "vitest";
import { INTERACTION_TOKEN_USABLE_MS } from "../../src/adapters/discord/limits.ts";
import { LIVE_PRUNE_INTERVAL_MS, LiveInteractions } from "../../src/adapters/discord/live-interactions.ts";

const MINUTE = 60_000;

/** A clock that stands still until the test moves it. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

/** The few fields of a discord.js interaction the bookkeeping reads. */
function interaction(
  fields: { created: number; user?: string; channel?: string; permissions?: bigint[] } = { created: 0 },
): RepliableInteraction {
  return {
    createdTimestamp: fields.created,
    channelId: fields.channel ?? null,
    appPermissions: fields.permissions ? new PermissionsBitField(fields.permissions) : null,
    user: { id: fields.user ?? "1" },
    isRepliable: () => true,
  } as unknown as RepliableInteraction;
}

describe("GIVEN the interactions the Discord adapter holds", () => {
  it("WHEN a wizard's interaction ages THEN its token is usable until a minute before Discord's 15, counted from its arrival", () => {
    const time = clock();
    const live = new LiveInteractions(time.now);
    // Created two seconds before it reached the bot (discord.js held it while starting).
    const held = interaction({ created: time.now() - 2000 });
    live.received(held);
    live.remember("w1", held);
    expect(live.age(held)).toBe(0);
    expect(live.sinceCreated(held)).toBe(2000);
    time.advance(INTERACTION_TOKEN_USABLE_MS);
    expect(live.usable("w1")).toBe(held);
    time.advance(1);
    expect(live.usable("w1")).toBeUndefined();
    // notify still finds it (a follow-up on a dead token just fails), until the wizard is forgotten.
    expect(live.showing("w1")).toBe(held);
    live.forget("w1");
    expect(live.showing("w1")).toBeUndefined();
  });

  it("WHEN an interaction never went through received THEN its age counts from Discord's creation time", () => {
    const time = clock();
    const live = new LiveInteractions(time.now);
    const held = interaction({ created: time.now() - INTERACTION_TOKEN_USABLE_MS - 1 });
    live.remember("w1", held);
    expect(live.age(held)).toBe(INTERACTION_TOKEN_USABLE_MS + 1);
    expect(live.usable("w1")).toBeUndefined();
  });

  it("WHEN wizards are abandoned THEN their dead interactions are dropped at most once a minute, live ones kept", () => {
    const time = clock();
    const live = new LiveInteractions(time.now);
    const old = interaction({ created: time.now(), user: "7", channel: "c1" });
    live.received(old);
    live.noteChannel(old);
    live.remember("abandoned", old);
    time.advance(20 * MINUTE);
    // Less than a prune interval since the last prune: nothing is dropped yet.
    const fresh = interaction({ created: time.now(), user: "8", channel: "c1" });
    live.received(fresh);
    live.remember("active", fresh);
    expect(live.showing("abandoned")).toBeUndefined();
    expect(live.showing("active")).toBe(fresh);
    expect(live.heldBy("7", "c1")).toBeUndefined();
  });

  it("WHEN the prune interval has not passed THEN a dead interaction is still held", () => {
    const time = clock();
    const live = new LiveInteractions(time.now);
    const dead = interaction({ created: time.now() - 20 * MINUTE, user: "7", channel: "c1" });
    live.noteChannel(dead);
    live.remember("abandoned", dead);
    time.advance(LIVE_PRUNE_INTERVAL_MS - 1);
    live.remember("other", interaction({ created: time.now() }));
    expect(live.showing("abandoned")).toBe(dead);
    expect(live.heldBy("7", "c1")).toBe(dead);
    time.advance(1);
    live.remember("other", interaction({ created: time.now() }));
    expect(live.showing("abandoned")).toBeUndefined();
    expect(live.heldBy("7", "c1")).toBeUndefined();
  });

  it("WHEN a channel's interactions report the bot's permissions THEN the newest one decides whether it may post", () => {
    const time = clock();
    const live = new LiveInteractions(time.now);
    expect(live.mayPost("c1")).toBe(true);
    live.noteChannel(
      interaction({ created: time.now(), channel: "c1", permissions: [PermissionFlagsBits.ViewChannel] }),
    );
    expect(live.mayPost("c1")).toBe(false);
    expect(live.mayPost("c2")).toBe(true);
    live.noteChannel(
      interaction({ created: time.now(), channel: "c1", permissions: [PermissionFlagsBits.SendMessages] }),
    );
    expect(live.mayPost("c1")).toBe(true);
  });

  it("WHEN users act in channels THEN each user's newest interaction per channel is held for a private word", () => {
    const time = clock();
    const live = new LiveInteractions(time.now);
    const first = interaction({ created: time.now(), user: "7", channel: "c1" });
    const second = interaction({ created: time.now(), user: "7", channel: "c1" });
    const elsewhere = interaction({ created: time.now(), user: "7", channel: "c2" });
    for (const each of [first, second, elsewhere]) live.noteChannel(each);
    expect(live.heldBy("7", "c1")).toBe(second);
    expect(live.heldBy("7", "c2")).toBe(elsewhere);
    expect(live.heldBy("8", "c1")).toBeUndefined();
    // A DM-less, channel-less interaction is not held.
    live.noteChannel(interaction({ created: time.now(), user: "9" }));
    expect(live.heldBy("9", "null")).toBeUndefined();
  });

  it("WHEN an interaction is answered with deferReply THEN it is known as deferred, others are not", () => {
    const live = new LiveInteractions(() => 0);
    const deferred = interaction();
    live.deferred(deferred);
    expect(live.wasDeferred(deferred)).toBe(true);
    expect(live.wasDeferred(interaction())).toBe(false);
  });
});
