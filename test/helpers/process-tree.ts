// Which processes run now and whose children they are, read from /proc (Linux, where the replica
// tests run): enough to tell which replica process started an installer.
import { readdir, readFile } from "node:fs/promises";

/** Pids of the running processes whose command line (its arguments joined by spaces) has every part. */
export async function processesMatching(parts: readonly string[]): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const line = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    const args = line.split("\0").join(" ");
    if (args && parts.every((part) => args.includes(part))) found.push(pid);
  }
  return found;
}

/** The pids above `pid`, its parent first, up to the first process; empty once it has gone. */
export async function ancestorsOf(pid: number): Promise<number[]> {
  const ancestors: number[] = [];
  let current = pid;
  for (;;) {
    const parent = await parentOf(current);
    if (parent === undefined || parent <= 1) return ancestors;
    ancestors.push(parent);
    current = parent;
  }
}

async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
  const afterName = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  const parent = Number(afterName?.[1]);
  return Number.isInteger(parent) ? parent : undefined;
}
