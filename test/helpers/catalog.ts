// The shipped library, loaded once for tests that need a real catalog.
import path from "node:path";
import { loadLibrary, type LoadedLibrary } from "../../src/app/library/library-loader.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";

export const LIBRARY_DIR = path.resolve(import.meta.dirname, "../../library");

let cached: Promise<LoadedLibrary> | undefined;

export function shippedLibrary(): Promise<LoadedLibrary> {
  cached ??= loadLibrary(LIBRARY_DIR);
  return cached;
}

export async function shippedContext(profiles: string[] = []): Promise<WizardContext> {
  return { catalog: (await shippedLibrary()).catalog, profiles };
}
