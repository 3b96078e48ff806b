import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach } from "vitest";
import { recordFolder } from "./leak-ledger.ts";

/**
 * Removal is tried again a few times: a folder a subprocess still writes into as the test ends (a
 * Hermes child finishing after its bot stopped) fails once with ENOTEMPTY, which is not the test's result.
 */
const REMOVE = { recursive: true, force: true, maxRetries: 5, retryDelay: 200 } as const;

/** A fresh temporary folder per call; after the test its files go to the leak ledger, then it is removed. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    const dirs = made.splice(0);
    for (const dir of dirs) await recordFolder(dir);
    await Promise.all(dirs.map((dir) => rm(dir, REMOVE)));
  });
  return async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "blueprint-test-"));
    made.push(dir);
    return dir;
  };
}

/**
 * One temporary folder for a whole file (a server started in beforeAll lives in it); after the
 * file's last test its files go to the leak ledger, then it is removed.
 */
export function useFileTempDir(): () => Promise<string> {
  const made: string[] = [];
  afterAll(async () => {
    for (const dir of made.splice(0)) {
      await recordFolder(dir);
      await rm(dir, REMOVE);
    }
  });
  return async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "blueprint-test-"));
    made.push(dir);
    return dir;
  };
}
