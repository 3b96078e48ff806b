// The CommonGround client against a server that fails in every way a broken or hostile one can:
// each read ends in one failure that names the host and never the token, within the bounded
// retries; reads are retried, an upload is not once it was sent.
import { afterEach, describe, expect, it } from "vitest";
import { CommonGroundClient } from "../../src/app/commonground/cg-client.ts";
import { startFakeCommonGround, type FakeCommonGround, type Hostility } from "../fakes/fake-commonground.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";

const TOKEN = "cg-client-hostile-token-77a1";
recordSecret(TOKEN);
let fake: FakeCommonGround | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const clientOf = (server: FakeCommonGround) =>
  new CommonGroundClient({
    url: server.url,
    project: "lab",
    token: TOKEN,
    timeoutMs: 800,
    retryDelaysMs: [10, 10],
  });

describe("GIVEN a CommonGround server that fails", () => {
  // A 200 that is not the API's answer is not a passing fault: it is not asked again.
  it.each<[string, Hostility, RegExp, number?]>([
    [
      "answers 500 with the token in its text",
      {
        kind: "status",
        status: 500,
        body: JSON.stringify({ detail: { error_code: "internal_error", error_message: `db down ${TOKEN}` } }),
      },
      /failed \(500\): db down \[redacted\]/,
    ],
    ["answers garbage", { kind: "garbage" }, /is not its profile API's answer/, 1],
    ["floods a huge body", { kind: "huge", bytes: 8 * 1024 * 1024 }, /more than 4 MiB/],
    ["never answers", { kind: "silent" }, /did not answer in 1 s/],
    ["resets the connection", { kind: "reset" }, /broke off its answer/],
  ])(
    "WHEN it %s THEN the list fails once, naming the host, never the token",
    async (_what, hostility, message, tries = 3) => {
      fake = await startFakeCommonGround({ requireToken: TOKEN, projects: ["lab"] });
      fake.fail("GET /projects/{project_id}/profiles", hostility, 3);
      const listed = await clientOf(fake).listProfiles();
      expect(listed.ok).toBe(false);
      if (listed.ok) return;
      expect(listed.failure.message).toMatch(message);
      expect(listed.failure.message).toContain(new URL(fake.url).host);
      expect(listed.failure.message).not.toContain(TOKEN);
      // The first try and one after each pause, for a fault that may pass.
      expect(fake.requests.filter((request) => request.method === "GET")).toHaveLength(tries);
    },
  );

  it("WHEN an upload's answer is lost THEN it is not sent again, and says it may have landed", async () => {
    fake = await startFakeCommonGround({ requireToken: TOKEN, projects: ["lab"] });
    fake.fail("POST /projects/{project_id}/profiles", { kind: "status", status: 502 }, 3);
    const uploaded = await clientOf(fake).upload("name: one\nworker_target: w\n");
    expect(uploaded.ok).toBe(false);
    expect(fake.requests.filter((request) => request.method === "POST")).toHaveLength(1);
  });

  it("WHEN the proxy in front of it refuses the token THEN the message says which setting to check", async () => {
    fake = await startFakeCommonGround({ requireToken: "another-token-entirely-1", projects: ["lab"] });
    const listed = await clientOf(fake).listProfiles();
    expect(listed.ok ? "" : listed.failure.message).toContain(
      "refused the token (401). Check COMMONGROUND_TOKEN.",
    );
  });
});
