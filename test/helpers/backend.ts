// The local backend (this machine's Hermes home) for tests that assemble services by hand: the same
// class start-up builds when HERMES_URL is not set.
import path from "node:path";
import { LocalBackend } from "../../src/app/backend/local-backend.ts";
import { installCommandFor, type InstallCommand } from "../../src/app/install/install-command-template.ts";
import { LocalInstallExecutor } from "../../src/app/install/local-install-executor.ts";
import type { LoadedLibrary } from "../../src/app/library/library-loader.ts";
import { shippedLibrary } from "./catalog.ts";

export interface LocalBackendSpec {
  readonly hermesHome: string;
  /** Default: `<hermesHome>/profiles`. */
  readonly profilesRoot?: string;
  readonly library?: LoadedLibrary;
  /** The installer; default: the bundled one. */
  readonly command?: InstallCommand;
  readonly env?: NodeJS.ProcessEnv;
}

export async function localBackend(spec: LocalBackendSpec): Promise<LocalBackend> {
  const profilesRoot = spec.profilesRoot ?? path.join(spec.hermesHome, "profiles");
  return new LocalBackend({
    hermesHome: spec.hermesHome,
    profilesRoot,
    library: spec.library ?? (await shippedLibrary()),
    installs: new LocalInstallExecutor(spec.command ?? installCommandFor({}), profilesRoot, spec.env),
  });
}
