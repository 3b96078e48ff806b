// What writing a profile needs, shared by the writer (staging, rename) and the contents it builds.
import type { LoadedLibrary } from "../library/library-loader.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";

/** Where a profile is written and what the writer reads: the Hermes home, the catalogs, the personas. */
export interface WriterOptions {
  readonly hermesHome: string;
  readonly profilesRoot: string;
  readonly library: LoadedLibrary;
  readonly personas?: PersonaLookup;
  /** The clock of lock.json and audit.log stamps. */
  readonly now?: () => Date;
  /** Test seam: runs after staging is complete and before the rename (e.g. to simulate a crash). */
  readonly beforeRename?: () => Promise<void> | void;
}
