// A blueprint that asks for a plugin on a Hermes host is refused before anything is sent: Hermes
// 0.19's dashboard cannot place a plugin into a chosen profile (its plugin endpoints act on the
// dashboard's own profile whatever profile is named), so a Create there would silently lack it.
import { afterEach, describe, expect, it } from "vitest";
import { DashboardBackend } from "../../src/app/backend/dashboard-backend.ts";
import { DashboardClient } from "../../src/app/hermes/dashboard-client.ts";
import { blueprintSchema } from "../../src/core/blueprint.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { startHostileDashboard, type HostileDashboard } from "../helpers/hostile-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";

const TOKEN = "host-plugins-session-token-41c9";
recordSecret(TOKEN);

let host: HostileDashboard | undefined;
afterEach(() => host?.close());

describe("GIVEN a Create on a Hermes host with plugins: [personas]", () => {
  it("THEN it is refused with the reason and what to do, and nothing is created on the host", async () => {
    host = await startHostileDashboard();
    const backend = new DashboardBackend({
      client: new DashboardClient({ url: host.url, token: TOKEN, retryDelaysMs: [10, 10] }),
      library: await shippedLibrary(),
      installs: { run: () => Promise.resolve() } as never,
    });
    const blueprint = blueprintSchema.parse({ name: "with-plugin", plugins: ["personas"] });
    const report = await backend.create(blueprint, new Map(), undefined);
    expect(report.ok).toBe(false);
    expect(report.problems).toContain(
      `plugins: personas cannot be installed on ${backend.host}: Hermes' dashboard has no way to place a plugin into a profile (its plugin endpoints act only on the dashboard's own profile). Leave plugins out for this host, or run the bot on that machine.`,
    );
    expect(host.requests.filter((seen) => seen.method !== "GET")).toEqual([]);
  });
});
