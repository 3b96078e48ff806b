// Runs the real `blueprint` executable (bin/blueprint.js) as a subprocess, with stdin piped in.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { recordArtifact } from "./leak-ledger.ts";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/blueprint.js"), ...args], {
      // Not the checkout: a developer's own .env there must not leak into the tests.
      cwd: options.cwd ?? os.tmpdir(),
      // Only what the test sets: no platform tokens or config leak in from the developer's shell.
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      recordArtifact(`blueprint ${args.join(" ")}: output`, `${stdout}\n${stderr}`);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

export interface StartedCli {
  readonly child: ChildProcessWithoutNullStreams;
  /** stdout and stderr so far, interleaved as they came. */
  readonly output: () => string;
  /** The exit code once the process has closed. */
  readonly closed: Promise<number | null>;
}

/**
 * Starts `blueprint <args>` and leaves it running (a bot to talk to, stop or watch exit). `nodeArgs`
 * go to node before the script (bench/load.ts preloads its memory probe into each replica so).
 */
export function startCli(
  args: string[],
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): StartedCli {
  const child = spawn(process.execPath, [...nodeArgs, path.join(REPO_ROOT, "bin/blueprint.js"), ...args], {
    cwd: os.tmpdir(),
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
  void closed.then(() => recordArtifact(`blueprint ${args.join(" ")}: output`, output));
  return { child, output: () => output, closed };
}

/** Waits until a running `blueprint` has printed `text`; the failure shows the end of its output. */
export async function waitForOutput(bot: StartedCli, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!bot.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}\n${bot.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
