// A hub install as a process on this machine: the configured command (Hermes', the bundled
// installer or INSTALL_COMMAND) run through execa as an argument array with HERMES_HOME set to the
// target profile, in its own process group so a timeout or Cancel kills everything it started.
import path from "node:path";
import { isPlatformEnvKey } from "../profile/env-file.ts";
import { killGroup, killGroupAfter } from "../process-group.ts";
import { buildInstallCommand, type InstallCommand } from "./install-command-template.ts";
import type { InstallEnd, InstallExecutor, InstallIo, InstallRequest } from "./install-executor.ts";
import { LineSplitter } from "./line-splitter.ts";
import { readLock } from "./skill-lock.ts";

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
    // An installer never needs the bot's own platform tokens or its Hermes token: they are not passed on.
    this.#env = Object.fromEntries(
      Object.entries(baseEnv).filter(
        ([key]) => !isPlatformEnvKey(key) && key !== "DISCORD_TOKEN" && key !== "HERMES_TOKEN",
      ),
    );
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
    const cancel = () => killGroup(child.pid);
    if (io.signal.aborted) cancel();
    io.signal.addEventListener("abort", cancel, { once: true });
    const deadline = killGroupAfter(child.pid, io.timeoutMs);
    const splitter = new LineSplitter(io.onLine);
    child.stdout?.on("data", (chunk: Buffer) => splitter.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => splitter.push(chunk));
    const result = await child;
    deadline.clear();
    io.signal.removeEventListener("abort", cancel);
    splitter.end();
    if (io.signal.aborted) return { kind: "canceled" };
    if (deadline.fired())
      return {
        kind: "timed out",
        detail: `no end after ${Math.round(io.timeoutMs / 1000)} s; its processes were killed`,
      };
    if (result.code === "ENOENT")
      return { kind: "failed", detail: `install command not found: ${built.file}` };
    return {
      kind: "exited",
      exitCode: result.exitCode ?? null,
      ...(result.signal ? { signal: result.signal } : {}),
    };
  }

  async recorded(profile: string, name: string): Promise<true | string> {
    try {
      const lock = await readLock(path.join(this.profilesRoot, profile));
      return lock.installed[name] ? true : `its lock.json has no record of '${name}'`;
    } catch {
      return "its lock.json cannot be read";
    }
  }
}
