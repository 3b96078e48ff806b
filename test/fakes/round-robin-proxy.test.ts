// The load balancer in front of the replicas (the tests' stand-in for nginx), in both places it
// runs: in the test's thread (the replica e2e tests) and in a worker thread of its own (the load
// benchmark). Each must forward in turn, pass over a replica that answers 503, leave every other
// path alone, and record which replica answered what.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ThreadedRoundRobinProxy } from "../helpers/proxy-thread.ts";
import { RoundRobinProxy, type LoadBalancer } from "../helpers/round-robin-proxy.ts";

/** A replica stand-in: answers every POST with its name, or 503 while `down`. */
class Replica {
  readonly seen: string[] = [];
  down = false;
  #server: Server | undefined;
  origin = "";

  constructor(readonly name: string) {}

  async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.seen.push(`${request.url ?? ""} ${Buffer.concat(chunks).toString("utf8")}`);
        response.writeHead(this.down ? 503 : 200, { "content-type": "text/plain" });
        response.end(this.name);
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }
}

const PLACES: readonly [string, (targets: () => readonly string[]) => LoadBalancer][] = [
  ["in the test's thread", (targets) => new RoundRobinProxy(targets)],
  ["in a worker thread of its own", (targets) => new ThreadedRoundRobinProxy(targets)],
];

describe.each(PLACES)("the round-robin proxy %s", (_place, makeProxy) => {
  let replicas: Replica[];
  let proxy: LoadBalancer;

  beforeEach(async () => {
    replicas = [new Replica("r0"), new Replica("r1")];
    await Promise.all(replicas.map((replica) => replica.start()));
    proxy = makeProxy(() => replicas.map((replica) => replica.origin));
    await proxy.start();
    proxy.targetsChanged();
  });
  afterEach(async () => {
    await proxy.stop();
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  const post = async (path: string, id: number) => {
    const response = await fetch(`${proxy.origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ update_id: id }),
    });
    return { status: response.status, body: await response.text() };
  };

  it("WHEN updates arrive THEN the replicas take them in turn and each forward is recorded", async () => {
    const answers = [];
    for (const id of [1, 2, 3, 4]) answers.push(await post("/telegram", id));
    expect(answers.map((answer) => answer.body)).toEqual(["r0", "r1", "r0", "r1"]);
    await proxy.settled();
    expect(proxy.forwards.map((forward) => [forward.id, forward.replica, forward.status])).toEqual([
      ["1", 0, 200],
      ["2", 1, 200],
      ["3", 0, 200],
      ["4", 1, 200],
    ]);
    expect(proxy.countsFor("/telegram")).toEqual([2, 2]);
    expect(proxy.countsFor("/discord/interactions")).toEqual([0, 0]);
    const [first] = proxy.forwards;
    expect(first && first.arrivedAt <= first.receivedAt && first.receivedAt <= first.answeredAt).toBe(true);
  });

  it("WHEN a replica answers 503 THEN the next one gets the update", async () => {
    const [r0, r1] = replicas;
    if (!r0 || !r1) throw new Error("two replicas");
    r0.down = true;
    const answer = await post("/discord/interactions", 7);
    expect(answer).toEqual({ status: 200, body: "r1" });
    expect(r0.seen).toHaveLength(1);
    expect(r1.seen).toEqual(['/discord/interactions {"update_id":7}']);
    await proxy.settled();
    expect(proxy.forwards.map((forward) => [forward.replica, forward.status])).toEqual([
      [0, 503],
      [1, 200],
    ]);
    expect(proxy.forwards[1]?.skipped).toEqual([0]);
  });

  it("WHEN another path or method comes THEN it is 404 and no replica sees it", async () => {
    expect((await post("/admin", 1)).status).toBe(404);
    expect((await fetch(`${proxy.origin}/telegram`)).status).toBe(404);
    await proxy.settled();
    expect(proxy.forwards).toEqual([]);
    expect(replicas.flatMap((replica) => replica.seen)).toEqual([]);
  });
});
