// A Hermes on "another machine" for the remote tests: the real pinned `hermes serve` on loopback
// with a session token and its own home, offline, with our library's skill trees as its bundled
// and optional skills (plus the hub's official/security, so the wizard target's hub skill is one
// this Hermes can install by itself). A bot reaches it only through HERMES_URL + HERMES_TOKEN.
import { cp, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { REPO_ROOT } from "./cli.ts";
import { startHermesServe, type HermesServe } from "./hermes-serve.ts";
import { recordSecret } from "./leak-ledger.ts";
import { useFileTempDir } from "./temp-dir.ts";

export interface RemoteHermes {
  /** The served Hermes' home: what only the judge (and Hermes) reads, never the bot. */
  readonly home: string;
  readonly url: string;
  readonly token: string;
  /** Stops the server (it is stopped after the file's tests anyway). */
  readonly stop: () => Promise<void>;
}

/** The Hermes home served to the file's tests, started before them and stopped after. */
export function useRemoteHermes(token: string): () => RemoteHermes {
  const fileDir = useFileTempDir();
  let remote: RemoteHermes | undefined;
  let serve: HermesServe | undefined;
  beforeAll(async () => {
    recordSecret(token);
    const root = await fileDir();
    const optional = path.join(root, "optional-skills");
    await mkdir(optional, { recursive: true });
    await cp(path.join(REPO_ROOT, "library/optional-skills"), optional, { recursive: true });
    await cp(path.join(REPO_ROOT, "library/hub/official/security"), path.join(optional, "security"), {
      recursive: true,
    });
    const home = path.join(root, "hermes");
    serve = await startHermesServe(home, token, { HERMES_OPTIONAL_SKILLS: optional });
    const started = serve;
    remote = { home, url: started.url, token, stop: () => started.stop() };
  }, 90_000);
  afterAll(() => serve?.stop());
  return () => {
    if (!remote) throw new Error("the remote Hermes is started in beforeAll");
    return remote;
  };
}

/** A bot's environment for a Hermes reached only over its dashboard (no HERMES_BIN, its own home). */
export function remoteBotEnv(data: string, remote: RemoteHermes): Record<string, string> {
  return {
    DATA_DIR: data,
    HERMES_URL: remote.url,
    HERMES_TOKEN: remote.token,
    HOME: path.join(data, "user-home"),
  };
}
