// A hub install as a process on this machine: the configured command (Hermes', the bundled
// installer or INSTALL_COMMAND) run through execa as an argument array with HERMES_HOME set to the
// target profile, in its own process group so a timeout or Cancel kills everything it started.
import path from "node:path";
import { hermesChildEnv } from "../hermes/child-env.ts";
import { superviseGroup } from "../system/process-group.ts";
import { buildInstallCommand, type InstallCommand } from "./install-command-template.ts";
import type { InstallEnd, InstallExecutor, InstallIo, InstallRequest } from "../ports/install-executor.ts";
import { LineSplitter } from "./line-splitter.ts";
import { readLock, type SkillLock } from "./skill-lock.ts";
import type { InstallRecords } from "../../core/install/install-record.ts";

/** Rich's line width for installers: wide enough that no line Hermes prints is wrapped. */
export const INSTALLER_COLUMNS = 4096;

export class LocalInstallExecutor implements InstallExecutor {
  readonly canStopRunning = true;
  readonly #env: NodeJS.ProcessEnv;

  constructor(
    private readonly command: InstallCommand,
    private readonly profilesRoot: string,
    baseEnv: NodeJS.ProcessEnv = process.env,
  ) {
    // An installer never needs the bot's own platform tokens or its Hermes tokens: they are not passed on.
    this.#env = hermesChildEnv(baseEnv);
  }

  exclusiveKeys(request: InstallRequest): readonly string[] {
    return [`profile:${request.profile}`];
  }

  async run(request: InstallRequest, io: InstallIo): Promise<InstallEnd> {
    const profileDir = path.join(this.profilesRoot, request.profile);
    const built = buildInstallCommand(this.command, {
      profile: request.profile,
      identifier: request.identifier,
      home: profileDir,
    });
    if (!built.ok) return { kind: "failed", detail: built.reason };
    const before = await this.#records(profileDir);
    // Loaded on the first install, not at start-up: a bot that never installs never pays its memory.
    const { execa } = await import("execa");
    const child = execa(built.file, built.args, {
      // No colours, and lines as wide as they come: Hermes prints through Rich, which otherwise wraps
      // at 80 columns when not on a terminal and would split "Verdict: DANGEROUS" over two lines.
      env: { ...this.#env, HERMES_HOME: profileDir, NO_COLOR: "1", COLUMNS: String(INSTALLER_COLUMNS) },
      extendEnv: false,
      detached: true, // its own process group, so a kill reaches every process it started
      stdin: "ignore",
      buffer: false,
      reject: false,
      encoding: "buffer",
    });
    const splitter = new LineSplitter(io.onLine);
    child.stdout?.on("data", (chunk: Buffer) => splitter.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => splitter.push(chunk));
    const end = await superviseGroup(child, child, { timeoutMs: io.timeoutMs, signal: io.signal });
    splitter.end();
    if (end.stopped === "canceled") return { kind: "canceled" };
    if (end.stopped === "timed out")
      return {
        kind: "timed out",
        detail: `no end after ${Math.round(io.timeoutMs / 1000)} s; its processes were killed`,
      };
    // A descendant that kept the output open after the installer exited: the installer has ended,
    // and its lines so far and the profile's record decide, as for any other end.
    const result =
      end.stopped === "output held"
        ? { exitCode: end.exitCode ?? undefined, signal: end.signal ?? undefined, code: undefined }
        : end.result;
    if (result.code === "ENOENT")
      return { kind: "failed", detail: `install command not found: ${built.file}` };
    const after = await this.#records(profileDir);
    io.onRecords?.({
      before: typeof before === "string" ? undefined : before,
      after,
    });
    return {
      kind: "exited",
      exitCode: result.exitCode ?? null,
      ...(result.signal ? { signal: result.signal } : {}),
    };
  }

  /** The profile's lock.json as records, or why it cannot be read. */
  async #records(profileDir: string): Promise<InstallRecords | string> {
    let lock: SkillLock;
    try {
      lock = await readLock(profileDir);
    } catch {
      return "its lock.json cannot be read";
    }
    return Object.entries(lock.installed).map(([name, entry]) => ({
      name,
      identifier: entry.identifier,
      source: entry.source,
      version: `${entry.updated_at} ${entry.content_hash}`,
    }));
  }
}
