// Issue 26's proof that replicas ride out a Postgres restart: three replicas (separate `blueprint
// start` processes) on a Postgres cluster of this file's own (stopping the run's shared cluster
// would break every other file), behind the round-robin proxy. While the server is down each
// replica says it is not ready and refuses updates with 503, so Telegram keeps them; once it is
// back they are ready again, the update sent meanwhile is handled, and what was acknowledged
// before the restart is all still there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { createDatabase } from "../helpers/postgres-database.ts";
import { PostgresServer } from "../helpers/postgres-server.ts";
import { ReplicaCluster, waitUntil } from "../helpers/replica-cluster.ts";
import { walkFromSkillsToReview } from "../helpers/replica-wizard.ts";
import { useFileTempDir } from "../helpers/temp-dir.ts";

const IVY: FakeUser = { id: 2610, first_name: "Ivy" };
const tempDir = useFileTempDir();
let server: PostgresServer;
let cluster: ReplicaCluster;

beforeAll(async () => {
  server = await PostgresServer.create();
  cluster = await ReplicaCluster.start({
    replicas: 3,
    root: await tempDir(),
    databaseUrl: await createDatabase(server.url()),
    telegramUsers: [IVY.id],
    discordUsers: [],
  });
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
  await server?.destroy();
}, 30_000);

/** Each replica's GET /readyz status now. */
async function readiness(): Promise<number[]> {
  return Promise.all(
    cluster.set.origins.map(async (origin) => {
      try {
        return (await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(5_000) })).status;
      } catch {
        return 0;
      }
    }),
  );
}

async function readinessBecomes(status: number, timeoutMs: number): Promise<void> {
  let last: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    last = await readiness();
    if (last.every((each) => each === status)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`readyz never became ${status} on every replica: ${last.join(", ")}`);
}

describe("GIVEN three replicas on one Postgres behind the proxy", () => {
  it("WHEN Postgres restarts mid-wizard THEN the replicas are not ready while it is down and ready after, the update sent meanwhile is handled once it is back, and nothing acknowledged is lost", async () => {
    expect(await readiness()).toEqual([200, 200, 200]);
    await cluster.say(IVY, "/profile_new");
    await cluster.say(IVY, "ivy-replica");
    await cluster.press(IVY, "Next");
    expect(cluster.wizardText(IVY.id)).toContain("Step 2/7 · Model");

    await server.stop();
    await readinessBecomes(503, 10_000);
    // A press while the store is away: every replica refuses it with 503, so Telegram keeps it.
    const message = cluster.wizardMessage(IVY.id);
    cluster.telegram.press(IVY, message, cluster.telegram.button(message, "Ollama"));
    const pressed = cluster.telegram.lastUpdateId;
    await waitUntil(
      () =>
        cluster.telegram.webhook.deliveries.filter((delivery) => delivery.updateId === pressed).length >= 2,
      10_000,
      "two refused deliveries of the press",
    );
    const refused = cluster.telegram.webhook.deliveries.filter((delivery) => delivery.updateId === pressed);
    expect(refused.map((delivery) => delivery.status)).toEqual(refused.map(() => 503));
    expect(cluster.telegram.webhook.info()["pending_update_count"]).toBe(1);
    expect(cluster.handledBy(pressed)).toEqual([]);

    await server.start();
    await readinessBecomes(200, 15_000);
    await cluster.acknowledged(pressed);
    expect(cluster.handledBy(pressed)).toHaveLength(1);
    // The press made during the outage applied once, on top of the steps made before it.
    await waitUntil(
      () => cluster.wizardText(IVY.id).includes("Where does the Ollama"),
      10_000,
      "the server step",
    );
    const [row] = await cluster.rows(`SELECT state FROM wizard_sessions WHERE owner_id = 'tg:${IVY.id}'`);
    const state = row?.["state"] as { step: string; draft: { name?: string; provider?: string } };
    expect(state.step).toBe("model.base_url");
    expect(state.draft).toMatchObject({ name: "ivy-replica", provider: "ollama" });

    // And the wizard goes on to Create.
    await cluster.press(IVY, "Use default");
    await waitUntil(
      () => cluster.wizardText(IVY.id).includes("showing the offline list"),
      10_000,
      "offline list",
    );
    await cluster.press(IVY, "llama3.2");
    await walkFromSkillsToReview(cluster, IVY);
    await cluster.press(IVY, "✓ Create");
    await waitUntil(() => cluster.shows(IVY.id, "Profile created"), 20_000, "Profile created");
  }, 90_000);
});
