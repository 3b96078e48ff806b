// Issue 26's proof on one machine: three replicas of the bot as separate processes (`blueprint
// start`, the code `npm start` runs, only the environment different), sharing one Postgres database
// and one HERMES_HOME, behind a round-robin proxy that the strict Telegram and Discord fakes deliver
// to. Each test uses its own user (its own chat), so the tests share the replicas and not state.
// The replicas are started once for the whole describe; the kill tests come last, as they leave
// fewer replicas running.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expiryRecoverySeconds,
  queueTiming,
  worstRecoverySeconds,
} from "../../src/app/install/pg-boss/queue-limits.ts";
import { DEFAULT_INSTALL_TIMEOUT_S } from "../../src/app/system/config.ts";
import { APPLICATION_ID, GENERAL, type FakeUser as DiscordUser } from "../fakes/discord/fake-discord.ts";
import { memberObject, snowflake } from "../fakes/discord/payloads.ts";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { DiscordTester } from "../helpers/discord-bot.ts";
import { configCheck, profileList, profileShow } from "../helpers/hermes.ts";
import { useFileDatabase } from "../helpers/postgres-database.ts";
import { processesMatching } from "../helpers/process-tree.ts";
import { ReplicaCluster, waitUntil, WEBHOOK_SECRET } from "../helpers/replica-cluster.ts";
import { useFileTempDir } from "../helpers/temp-dir.ts";
import { walkFromSkillsToReview, walkToReview, walkToSkills } from "../helpers/replica-wizard.ts";

const user = (id: number, name: string): FakeUser => ({ id, first_name: name });
const ALICE = user(2601, "Alice");
const BOB = user(2602, "Bob");
const CAROL = user(2603, "Carol");
const DAVE = user(2604, "Dave");
const ERIN = user(2605, "Erin");
const GINA = user(2606, "Gina");
const HANK = user(2607, "Hank");
const IVY = user(2608, "Ivy");
const JUNE = user(2609, "June");
const TEAM_GROUP = { id: -2_600_001, type: "group" as const };
const DORA: DiscordUser = { id: "1526000000000000001", username: "dora" };
const FRANK: DiscordUser = { id: "1526000000000000002", username: "frank" };
const STALE = "This step changed since that button was shown";

/** The fake installer (test/fixtures/installers/sleepy.sh) fetches this long before installing. */
const INSTALLER_SECONDS = 4;
/** The replicas run with the real queue timings (INSTALL_TIMEOUT_S not set). */
const REAL_TIMING = queueTiming(DEFAULT_INSTALL_TIMEOUT_S * 1000);

const database = useFileDatabase();
const tempDir = useFileTempDir();
let cluster: ReplicaCluster;

beforeAll(async () => {
  cluster = await ReplicaCluster.start({
    replicas: 3,
    root: await tempDir(),
    databaseUrl: await database(),
    telegramUsers: [ALICE, BOB, CAROL, DAVE, ERIN, GINA, HANK, IVY, JUNE].map((u) => u.id),
    discordUsers: [DORA.id, FRANK.id],
    // Installs that take 4 s: long enough to kill the replica running one.
    env: {
      INSTALL_COMMAND: `sh ${path.join(REPO_ROOT, "test/fixtures/installers/sleepy.sh")} {profile} {identifier}`,
    },
  });
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
}, 30_000);

/** What the bot sent or edited in this chat since `from` (an index into the fake's calls). */
function writesSince(from: number, chatId: number): { method: string; text: string }[] {
  return cluster.telegram.calls
    .slice(from)
    .filter(
      (call) =>
        (call.method === "sendMessage" || call.method === "editMessageText") &&
        Number(call.params["chat_id"]) === chatId,
    )
    .map((call) => ({ method: call.method, text: String(call.params["text"]) }));
}

/** The open wizard of this user in the shared database (owner ids as the adapters make them). */
async function sessionOf(who: FakeUser | DiscordUser): Promise<Record<string, unknown> | undefined> {
  const ownerId = typeof who.id === "number" ? `tg:${who.id}` : `dc:${who.id}`;
  const rows = await cluster.rows(`SELECT state, version FROM wizard_sessions WHERE owner_id = '${ownerId}'`);
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0];
}

const stepOf = (row: Record<string, unknown> | undefined): unknown =>
  (row?.["state"] as { step?: unknown } | undefined)?.step;

describe("GIVEN three bot replicas (separate processes) on one Postgres, behind a round-robin proxy", () => {
  it("WHEN a whole Telegram wizard's updates land on every replica THEN one profile is made, and the real Hermes accepts it", async () => {
    const start = await cluster.say(ALICE, "/profile_new");
    const named = await cluster.say(ALICE, "alice-replica");
    expect(stepOf(await sessionOf(ALICE))).toBe("identity.menu");
    await walkToReview(cluster, ALICE);
    await cluster.press(ALICE, "✓ Create");
    await waitUntil(
      () => cluster.shows(ALICE.id, "Profile created"),
      20_000,
      "Profile created",
      () =>
        cluster.telegram
          .botMessages(ALICE.id)
          .map((m) => m.text)
          .join("\n---\n"),
    );

    // The updates were spread over the three replicas, each taking some.
    const counts = cluster.proxy.countsFor("/telegram");
    for (const count of counts) expect(count).toBeGreaterThan(0);
    const handlers = new Set(
      cluster.telegram.webhook.deliveries.map((delivery) => cluster.handledBy(delivery.updateId)).flat(),
    );
    expect(handlers.size).toBe(3);

    // One profile, one report.
    expect(
      cluster.telegram.botMessages(ALICE.id).filter((m) => m.text.includes("Profile created")),
    ).toHaveLength(1);
    const profiles = await readdir(path.join(cluster.hermesHome, "profiles"));
    expect(profiles.filter((name) => name.startsWith("alice-replica"))).toEqual(["alice-replica"]);
    expect(await sessionOf(ALICE)).toBeUndefined();

    // One message shows the wizard from start to end, whichever replica drew each screen: the
    // message's id is kept with the session (screenRef). The typed name, which carries no message,
    // is the update most likely to reach a replica that did not post it.
    expect(cluster.proxy.replicaOf(start)).not.toBe(cluster.proxy.replicaOf(named));
    const wizardMessages = cluster.telegram
      .botMessages(ALICE.id)
      .filter((message) => message.text.includes("Step") || message.text.includes("Profile created"));
    expect(wizardMessages).toHaveLength(1);

    // The real Hermes judges what the replicas made.
    const home = cluster.hermesHome;
    expect(await profileList(home)).toContain("alice-replica");
    expect(await profileShow(home, "alice-replica")).toMatchObject({ model: "llama3.2", provider: "custom" });
    expect((await configCheck(home, "alice-replica")).current).toBe(true);
  }, 60_000);

  it("WHEN a key is typed into one replica and Create is pressed on another THEN the replica holding the key takes the Create: one profile, the key in its .env, never in a chat or the database", async () => {
    const KEY = "sk-or-v1-IVY-TYPED-ON-ONE-REPLICA-0123456789";
    await cluster.say(IVY, "/profile_new");
    await cluster.say(IVY, "ivy-handoff");
    await cluster.press(IVY, "Next");
    await cluster.press(IVY, "OpenRouter");
    await cluster.press(IVY, "anthropic/claude-sonnet-4");
    await waitUntil(
      () => cluster.wizardText(IVY.id).includes("OPENROUTER_API_KEY"),
      10_000,
      "the key prompt",
      () => cluster.wizardText(IVY.id),
    );
    const typed = await cluster.say(IVY, KEY);
    const holder = cluster.proxy.replicaOf(typed);
    await walkFromSkillsToReview(cluster, IVY);
    // The Create press goes to another replica than the one that read the key.
    while (cluster.proxy.nextReplica() === holder) cluster.proxy.skipTurn();
    const create = await cluster.press(IVY, "✓ Create");
    expect(cluster.proxy.replicaOf(create)).not.toBe(holder);
    await waitUntil(
      () => cluster.shows(IVY.id, "Profile created"),
      20_000,
      "Profile created",
      () => cluster.wizardText(IVY.id),
    );
    expect(cluster.shows(IVY.id, "Not created yet")).toBe(false);
    const env = await readFile(path.join(cluster.hermesHome, "profiles/ivy-handoff/.env"), "utf8");
    expect(env).toContain(`OPENROUTER_API_KEY=${KEY}\n`);
    expect(cluster.telegram.botMessages(IVY.id).some((message) => message.text.includes(KEY))).toBe(false);
    expect(JSON.stringify(await cluster.rows("SELECT * FROM wizard_sessions"))).not.toContain(KEY);
    expect(await profileShow(cluster.hermesHome, "ivy-handoff")).toMatchObject({
      model: "anthropic/claude-sonnet-4",
      provider: "openrouter",
    });
  }, 60_000);

  it("WHEN a group wizard's key link is opened on one replica and the key sent privately reaches another THEN that one takes the key, deletes it, and Create in the group makes the profile with it", async () => {
    const KEY = "sk-or-v1-JUNE-SENT-PRIVATELY-0123456789";
    const inGroup = async (text: string, replyTo?: ReturnType<typeof cluster.telegram.lastBotMessage>) => {
      cluster.telegram.sendText(JUNE, TEAM_GROUP, text, replyTo);
      await cluster.acknowledged(cluster.telegram.lastUpdateId);
    };
    await inGroup("/profile_new");
    await inGroup("june-group", cluster.telegram.lastBotMessage(TEAM_GROUP.id));
    for (const label of ["Next", "OpenRouter", "anthropic/claude-sonnet-4"])
      await cluster.pressIn(JUNE, TEAM_GROUP.id, label);
    const link = /https:\/\/t\.me\/[a-z_]+\?start=(s_[a-z0-9]+)/.exec(cluster.wizardText(TEAM_GROUP.id))?.[1];
    if (!link) throw new Error(`no key link in the group wizard: ${cluster.wizardText(TEAM_GROUP.id)}`);

    const opened = await cluster.say(JUNE, `/start ${link}`);
    expect(cluster.telegram.lastBotMessage(JUNE.id)?.text).toContain("Send OPENROUTER_API_KEY here");
    // The key goes to another replica than the one that answered the link.
    while (cluster.proxy.nextReplica() === cluster.proxy.replicaOf(opened)) cluster.proxy.skipTurn();
    const sent = await cluster.say(JUNE, KEY);
    expect(cluster.proxy.replicaOf(sent)).not.toBe(cluster.proxy.replicaOf(opened));
    await waitUntil(
      () =>
        cluster.telegram.lastBotMessage(JUNE.id)?.text ===
        "Key received and your message deleted. Back to the wizard.",
      10_000,
      "the key received",
      () => cluster.telegram.lastBotMessage(JUNE.id)?.text ?? "",
    );
    const keyMessage = [...cluster.telegram.messages.values()].find((message) => message.text === KEY);
    expect(keyMessage?.deleted).toBe(true);
    await waitUntil(
      () => cluster.wizardText(TEAM_GROUP.id).includes("Skills"),
      10_000,
      "the Skills step in the group",
      () => cluster.wizardText(TEAM_GROUP.id),
    );

    for (const label of ["Optional skills", "Hub skills", "Done", "MCP servers", "Next", "No persona"])
      await cluster.pressIn(JUNE, TEAM_GROUP.id, label);
    expect(JSON.stringify(await cluster.rows("SELECT * FROM wizard_sessions"))).not.toContain(KEY);
    // Create goes to another replica than the one that took the key: it is handed over.
    while (cluster.proxy.nextReplica() === cluster.proxy.replicaOf(sent)) cluster.proxy.skipTurn();
    const create = await cluster.pressIn(JUNE, TEAM_GROUP.id, "✓ Create");
    expect(cluster.proxy.replicaOf(create)).not.toBe(cluster.proxy.replicaOf(sent));
    await waitUntil(
      () => cluster.shows(TEAM_GROUP.id, "Profile created"),
      20_000,
      "Profile created in the group",
      () => cluster.wizardText(TEAM_GROUP.id),
    );
    const env = await readFile(path.join(cluster.hermesHome, "profiles/june-group/.env"), "utf8");
    expect(env).toContain(`OPENROUTER_API_KEY=${KEY}\n`);
    const chats = [TEAM_GROUP.id, JUNE.id].flatMap((chat) => cluster.telegram.botMessages(chat));
    expect(chats.some((message) => message.text.includes(KEY))).toBe(false);
  }, 60_000);

  it("WHEN the same update reaches two replicas at once THEN it has one effect: one step advance, one answer, one message edit", async () => {
    await cluster.say(BOB, "/profile_new");
    await cluster.say(BOB, "bob-replica");
    const update = cluster.pressUpdate(BOB, "Next");
    const queryId = (update["callback_query"] as { id: string }).id;
    const before = cluster.telegram.calls.length;
    // Bypassing the proxy: a retried delivery racing the first one, on two replicas.
    const answers = await Promise.all(
      [0, 1].map((index) => cluster.telegram.deliverTo(cluster.telegramUrlOf(index), update, WEBHOOK_SECRET)),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await waitUntil(() => writesSince(before, BOB.id).length > 0, 10_000, "the wizard's edit");
    // Time for a second effect to show, were there one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(cluster.handledBy(update.update_id)).toHaveLength(1);
    const callbackAnswers = cluster.telegram
      .callsOf("answerCallbackQuery")
      .filter((call) => call.params["callback_query_id"] === queryId);
    expect(callbackAnswers).toHaveLength(1);
    const writes = writesSince(before, BOB.id);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.text).toContain("Step 2/7 · Model");
    expect(stepOf(await sessionOf(BOB))).toBe("model.provider");
    const taken = await cluster.rows(
      `SELECT done FROM inbound WHERE key LIKE 'telegram:%:${update.update_id}'`,
    );
    expect(taken).toEqual([{ done: true }]);
  }, 30_000);

  it("WHEN one user's two presses of one step reach two replicas at once THEN the step advances once and the other press gets 'This step changed'", async () => {
    await cluster.say(CAROL, "/profile_new");
    await cluster.say(CAROL, "carol-replica");
    const presses = [cluster.pressUpdate(CAROL, "Next"), cluster.pressUpdate(CAROL, "Next")];
    const before = cluster.telegram.calls.length;
    const answers = await Promise.all(
      presses.map((update, index) =>
        cluster.telegram.deliverTo(cluster.telegramUrlOf(index), update, WEBHOOK_SECRET),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    // Both were handled, each by the replica it reached (each answered once taken, before its effects).
    await waitUntil(
      () => presses.every((update) => cluster.handledBy(update.update_id).length > 0),
      10_000,
      "both presses handled",
    );
    expect(presses.map((update) => cluster.handledBy(update.update_id))).toEqual([[0], [1]]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const writes = writesSince(before, CAROL.id);
    expect(writes.filter((write) => write.text.includes(STALE))).toHaveLength(1);
    for (const write of writes) expect(write.text).toContain("Step 2/7 · Model");
    expect(stepOf(await sessionOf(CAROL))).toBe("model.provider");
  }, 30_000);

  it("WHEN two Create presses reach two replicas at once THEN one profile is made and one creation report shown", async () => {
    await cluster.say(DAVE, "/profile_new");
    await cluster.say(DAVE, "dave-replica");
    await walkToReview(cluster, DAVE);
    const presses = [cluster.pressUpdate(DAVE, "✓ Create"), cluster.pressUpdate(DAVE, "✓ Create")];
    const before = cluster.telegram.calls.length;
    const answers = await Promise.all(
      presses.map((update, index) =>
        cluster.telegram.deliverTo(cluster.telegramUrlOf(index), update, WEBHOOK_SECRET),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await waitUntil(() => cluster.shows(DAVE.id, "Profile created"), 20_000, "Profile created");
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reports = writesSince(before, DAVE.id).filter((write) => write.text.includes("Profile created"));
    expect(reports).toHaveLength(1);
    expect(
      cluster.telegram.botMessages(DAVE.id).filter((m) => m.text.includes("Profile created")),
    ).toHaveLength(1);
    // The press that lost, however late it was stepped, adds no "ended or expired" line to the chat.
    expect(cluster.telegram.botMessages(DAVE.id).filter((m) => m.text.includes("has ended"))).toEqual([]);
    const profiles = await readdir(path.join(cluster.hermesHome, "profiles"));
    expect(profiles.filter((name) => name.startsWith("dave-replica"))).toEqual(["dave-replica"]);
    const creates = (await cluster.rows("SELECT state, record FROM creates")).filter(
      (row) => (row["record"] as { name?: string }).name === "dave-replica",
    );
    expect(creates.map((row) => row["state"])).toEqual(["done"]);
    expect(await sessionOf(DAVE)).toBeUndefined();
  }, 60_000);

  it("WHEN a Telegram update with a wrong or no secret, or an interaction with a forged signature, comes through the proxy THEN each is refused with 401 and nothing changes", async () => {
    const telegramCalls = cluster.telegram.calls.length;
    const forged = cluster.telegram.textUpdate(ERIN, { id: ERIN.id, type: "private" }, "/profile_new");
    const webhook = `${cluster.proxy.origin}/telegram`;
    expect((await cluster.telegram.deliverTo(webhook, forged, "not-the-secret")).status).toBe(401);
    expect((await cluster.telegram.deliverTo(webhook, forged)).status).toBe(401);

    const discordCalls = cluster.discord.calls.length;
    const interactions = cluster.discord.interactions.size;
    const interactionId = snowflake();
    const payload = {
      id: interactionId,
      application_id: APPLICATION_ID,
      type: 2,
      token: "forged-interaction-token",
      version: 1,
      channel_id: GENERAL,
      member: memberObject(FRANK),
      data: { id: snowflake(), name: "profile", type: 1, options: [{ type: 1, name: "new", options: [] }] },
    };
    expect((await cluster.discord.forgeDelivery(payload)).status).toBe(401);
    // A valid signature over another timestamp than the one sent (a replay with a fresh stamp).
    const stamp = String(Math.floor(cluster.discord.now() / 1000) - 1);
    expect((await cluster.discord.forgeDelivery(payload, stamp)).status).toBe(401);

    // Given time to act, nothing acted: no wizard, no message, nothing taken, no call to either API.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await sessionOf(ERIN)).toBeUndefined();
    expect(await sessionOf(FRANK)).toBeUndefined();
    expect(
      await cluster.rows(
        `SELECT key FROM inbound WHERE key LIKE 'telegram:%:${forged.update_id}' OR key = 'discord:${interactionId}'`,
      ),
    ).toEqual([]);
    expect(cluster.handledBy(forged.update_id)).toEqual([]);
    expect(cluster.telegram.botMessages(ERIN.id)).toEqual([]);
    expect(cluster.telegram.calls.length).toBe(telegramCalls);
    expect(cluster.discord.calls.length).toBe(discordCalls);
    expect(cluster.discord.interactions.size).toBe(interactions);
    // The same update with the secret, and a real /profile new, are taken: the replicas were live.
    expect((await cluster.telegram.deliverTo(webhook, forged, WEBHOOK_SECRET)).status).toBe(200);
    await waitUntil(() => cluster.handledBy(forged.update_id).length > 0, 10_000, "the update handled");
    expect(stepOf(await sessionOf(ERIN))).toBe("identity.name");
    await new DiscordTester(cluster.discord, FRANK, GENERAL).command("profile new");
    expect(stepOf(await sessionOf(FRANK))).toBe("identity.name");
    // The proxy passed each on and gave back the replica's 401 (no replica was passed over).
    const refused = cluster.proxy.forwards.filter(
      (forward) => forward.id === String(forged.update_id) || forward.id === interactionId,
    );
    expect(refused.map((forward) => forward.status)).toEqual([401, 401, 401, 401, 200]);
  }, 30_000);

  it("WHEN a Discord user walks /profile new to Create over signed interactions THEN the presses land on several replicas, each is acknowledged once within 3 s, and one profile is made", async () => {
    const { discord } = cluster;
    const dora = new DiscordTester(discord, DORA, GENERAL);
    const seenBefore = new Set(discord.interactions.keys());
    await dora.command("profile new");
    expect(dora.message.content).toContain("Step 1/7 · Identity");
    await dora.fill({ name: "dora-replica", display_name: "Dora", description: "Made across replicas" });
    await dora.press("Next");
    await dora.choose("Ollama");
    await dora.press("Use default");
    await discord.until(
      () => dora.message.content.includes("showing the offline list"),
      10_000,
      "offline list",
    );
    await dora.choose("llama3.2");
    await discord.until(() => dora.message.content.includes("Skills"), 10_000, "the Skills step");
    for (const label of ["Optional skills", "Hub skills", "Done", "MCP servers", "Next", "No persona"])
      await dora.press(label);
    expect(dora.message.content).toContain("Step 7/7 · Review");
    await dora.press("✓ Create");
    await discord.until(() => dora.message.content.includes("Profile created"), 20_000, "Profile created");

    const mine = [...discord.interactions.values()].filter((interaction) => !seenBefore.has(interaction.id));
    expect(mine.length).toBeGreaterThan(12);
    const replicas = new Set(mine.map((interaction) => cluster.proxy.replicaOf(interaction.id)));
    expect(replicas).toEqual(new Set([0, 1, 2]));
    expect(discord.violations).toEqual([]);
    for (const interaction of mine) {
      expect(interaction.httpAnswers.map((answer) => answer.status)).toEqual([200]);
      expect(interaction.acks).toHaveLength(1);
      expect((interaction.acks[0]?.at ?? Infinity) - interaction.dispatchedAt).toBeLessThan(3000);
      expect(interaction.failed).toBeUndefined();
    }
    const wizardMessages = [...discord.messages.values()].filter((message) =>
      message.history.some((text) => text.includes("dora-replica")),
    );
    expect(wizardMessages).toHaveLength(1);
    expect(await profileShow(cluster.hermesHome, "dora-replica")).toMatchObject({
      model: "llama3.2",
      provider: "custom",
    });
  }, 60_000);

  it("WHEN a replica is killed (SIGKILL) mid-wizard THEN the proxy passes over it and the wizard goes on to Create on the others", async () => {
    await cluster.say(GINA, "/profile_new");
    await cluster.say(GINA, "gina-replica");
    const last = await cluster.press(GINA, "Next");
    const victim = cluster.proxy.replicaOf(last) ?? 0;
    await cluster.set.kill(victim);
    const killedAt = cluster.proxy.forwards.length;
    await cluster.press(GINA, "Ollama");
    await cluster.press(GINA, "Use default");
    await waitUntil(
      () => cluster.wizardText(GINA.id).includes("showing the offline list"),
      10_000,
      "offline list",
    );
    await cluster.press(GINA, "llama3.2");
    await walkFromSkillsToReview(cluster, GINA);
    await cluster.press(GINA, "✓ Create");
    await waitUntil(() => cluster.shows(GINA.id, "Profile created"), 20_000, "Profile created");
    const after = cluster.proxy.forwards.slice(killedAt);
    // The dead replica was tried (connection refused) and passed over; it answered nothing.
    expect(after.some((forward) => forward.replica === victim && forward.status === 0)).toBe(true);
    expect(after.filter((forward) => forward.replica === victim && forward.status !== 0)).toEqual([]);
    expect(cluster.telegram.webhook.deliveries.every((delivery) => delivery.status !== 502)).toBe(true);
    const profiles = await readdir(path.join(cluster.hermesHome, "profiles"));
    expect(profiles.filter((name) => name.startsWith("gina-replica"))).toEqual(["gina-replica"]);
  }, 60_000);

  describe("AND a replica is killed mid-install", () => {
    let killed: { statusId: number; profileDir: string; at: number } | undefined;

    /** The replica whose installer runs this profile's install, and the installer's pids. */
    const installRunner = async (profile: string): Promise<{ replica: number; installers: number[] }> => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const installers = await processesMatching(["sleepy.sh", profile]);
        for (const pid of installers) {
          const replica = await cluster.set.ancestorOf(pid);
          if (replica !== undefined) return { replica, installers };
        }
        if (Date.now() > deadline) throw new Error(`no replica runs an installer for ${profile}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    it("WHEN the replica running a hub install is killed THEN the profile stands and the install group is stored unfinished", async () => {
      await cluster.say(HANK, "/profile_new");
      await cluster.say(HANK, "hank-replica");
      await walkToSkills(cluster, HANK);
      await walkFromSkillsToReview(cluster, HANK, "official/security/password-audit");
      await cluster.press(HANK, "✓ Create");
      const status = () =>
        cluster.telegram.botMessages(HANK.id).find((message) => message.text.startsWith("Hub skills for"));
      await waitUntil(() => status() !== undefined, 15_000, "the install status message");
      // Any replica may have taken the pg-boss job: the one to kill is the parent of the installer.
      const { replica, installers } = await installRunner("hank-replica");
      await cluster.set.kill(replica);
      // A replica's death takes its children with it (as a container's does); left orphaned, the
      // installer would finish on its own and write the skill's lock record.
      for (const pid of installers) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      const at = Date.now();
      expect(cluster.shows(HANK.id, "Profile created")).toBe(true);
      expect(cluster.shows(HANK.id, "Finished: 1 installed")).toBe(false);
      const groups = await cluster.rows(
        "SELECT profile, finished FROM install_groups WHERE profile = 'hank-replica'",
      );
      expect(groups).toEqual([{ profile: "hank-replica", finished: false }]);
      killed = {
        statusId: status()?.message_id ?? 0,
        profileDir: path.join(cluster.hermesHome, "profiles", "hank-replica"),
        at,
      };
    }, 60_000);

    it("THEN another replica finishes the install exactly once, editing the same status message, well before pg-boss's expiry (the reaper saw the dead replica's heartbeat lock gone)", async () => {
      if (!killed) throw new Error("the scenario above failed");
      const { statusId, profileDir, at } = killed;
      // The reaper's worst (the kill came within the grace of the fetch), then the whole install again.
      const boundS = worstRecoverySeconds(REAL_TIMING) + INSTALLER_SECONDS + 3;
      expect(boundS).toBeLessThan(expiryRecoverySeconds(REAL_TIMING) / 10);
      await waitUntil(
        () => cluster.shows(HANK.id, "Finished: 1 installed"),
        boundS * 1000 - (Date.now() - at),
        "the install finished on another replica",
      );
      const statuses = cluster.telegram
        .botMessages(HANK.id)
        .filter((m) => m.text.startsWith("Hub skills for"));
      expect(statuses.map((message) => message.message_id)).toEqual([statusId]);
      const lock = JSON.parse(await readFile(path.join(profileDir, "skills/.hub/lock.json"), "utf8")) as {
        installed: Record<string, unknown>;
      };
      expect(Object.keys(lock.installed)).toEqual(["password-audit"]);
      const [group] = await cluster.rows(
        "SELECT finished, install_group FROM install_groups WHERE profile = 'hank-replica'",
      );
      const jobs = (group?.["install_group"] as { jobs: { status: string; attempts: number }[] }).jobs;
      expect(group?.["finished"]).toBe(true);
      // Run twice in all: on the killed replica, then once on another.
      expect(jobs.map((job) => [job.status, job.attempts])).toEqual([["done", 2]]);
    }, 40_000);
  });
});
