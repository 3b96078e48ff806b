// The real pinned Hermes' dashboard server (`hermes serve`) on loopback with a session token, for
// tests of a bot that reaches Hermes over its API. Started on a free port (`--port 0`), ready when
// it prints `HERMES_BACKEND_READY port=<n>`, stopped with its whole process group.
import { spawn } from "node:child_process";
import path from "node:path";
import { killGroup } from "../../src/app/system/process-group.ts";
import { recordArtifact } from "./leak-ledger.ts";
import { REPO_ROOT } from "./cli.ts";
import { hermesBin, hermesEnv } from "./hermes.ts";

/** Hermes' server takes several seconds to import and bind here. */
export const HERMES_SERVE_START_TIMEOUT_MS = 60_000;

export interface HermesServe {
  readonly url: string;
  readonly port: number;
  readonly stop: () => Promise<void>;
}

export async function startHermesServe(
  hermesHome: string,
  token: string,
  extraEnv: Record<string, string> = {},
  bin: string = hermesBin(),
): Promise<HermesServe> {
  const child = spawn(bin, ["serve", "--port", "0", "--skip-build"], {
    env: hermesEnv(hermesHome, {
      HERMES_DASHBOARD_SESSION_TOKEN: token,
      HOME: path.join(path.dirname(hermesHome), "serve-home"),
      // The host's MCP catalog is the bot's own unless a test gives it another: the wizard offers
      // the host's catalog, and most tests pick entries of ours.
      HERMES_OPTIONAL_MCPS: path.join(REPO_ROOT, "library/mcps"),
      ...extraEnv,
    }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`hermes serve did not start:\n${output}`)),
      HERMES_SERVE_START_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /HERMES_BACKEND_READY port=(\d+)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    void exited.then(() => reject(new Error(`hermes serve exited:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      killGroup(child.pid);
      await exited;
      recordArtifact("hermes serve: output", output);
    },
  };
}
