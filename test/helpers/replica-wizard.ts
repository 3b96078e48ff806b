// The Telegram wizard walks the replica tests share, through the proxy: a profile on Ollama's
// offline model list (no key is typed: a key is held only in the memory of the replica that read
// it, and the test of its handoff to Create walks its own wizard), with the other steps left as they are.
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { waitUntil, type ReplicaCluster } from "./replica-cluster.ts";

/** From the Identity step (the name typed) to the Skills step. */
export async function walkToSkills(cluster: ReplicaCluster, user: FakeUser): Promise<void> {
  await cluster.press(user, "Next");
  await cluster.press(user, "Ollama");
  // The default server is on loopback, which a chat may not make the bot ask (MODEL_SERVER_HOSTS):
  // the offline list is offered at once.
  await cluster.press(user, "Use default");
  await waitUntil(
    () => cluster.wizardText(user.id).includes("showing the offline list"),
    10_000,
    "the offline model list",
    () => cluster.wizardText(user.id),
  );
  await cluster.press(user, "llama3.2");
  await waitUntil(
    () => cluster.wizardText(user.id).includes("Skills"),
    10_000,
    "the Skills step",
    () => cluster.wizardText(user.id),
  );
}

/** From the Skills step to Review, with `hub` typed as the hub skills when given. */
export async function walkFromSkillsToReview(
  cluster: ReplicaCluster,
  user: FakeUser,
  hub?: string,
): Promise<void> {
  await cluster.press(user, "Optional skills");
  await cluster.press(user, "Hub skills");
  if (hub) await cluster.say(user, hub);
  for (const label of ["Done", "MCP servers", "Next", "No persona"]) await cluster.press(user, label);
  await waitUntil(
    () => cluster.wizardText(user.id).includes("Review"),
    10_000,
    "the Review step",
    () => cluster.wizardText(user.id),
  );
}

export async function walkToReview(cluster: ReplicaCluster, user: FakeUser, hub?: string): Promise<void> {
  await walkToSkills(cluster, user);
  await walkFromSkillsToReview(cluster, user, hub);
}
