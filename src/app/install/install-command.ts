// `blueprint install --profile <name> <identifier>`: the bundled installer as a command, run by the
// job queue as a subprocess with HERMES_HOME set to the target profile (Hermes' own convention).
import path from "node:path";
import { checkProfileName } from "../../core/profile-name.ts";
import { describe } from "../../core/messages.ts";
import { PACKAGE_ROOT } from "../system/package-root.ts";
import type { AppConfig } from "../system/config.ts";
import { isDirectory } from "../system/file-kind.ts";
import { installFromHub } from "./hub-installer.ts";
import { openHub } from "./hub-source.ts";

/**
 * The profile folder to install into. HERMES_HOME may be the Hermes root (profiles/<name> below it)
 * or, as the job queue sets it, the profile folder itself; then its name must be the one asked for,
 * so a process started for one profile can never install into another.
 */
export function installTarget(config: AppConfig, name: string): string {
  const home = config.hermesHome;
  if (path.basename(path.dirname(home)) === "profiles") {
    return path.basename(home) === name ? home : "";
  }
  return path.join(config.profilesRoot, name);
}

/** The hub the bundled installer installs from when BLUEPRINT_HUB is not set. */
export const BUNDLED_HUB_DIR = path.join(PACKAGE_ROOT, "library", "hub");

export async function runInstallCommand(
  config: AppConfig,
  profile: string,
  identifier: string,
  print: (line: string) => void,
): Promise<number> {
  const checked = checkProfileName(profile);
  if (!checked.ok) {
    print(`Error: ${describe(checked.error)}`);
    return 2;
  }
  const target = installTarget(config, checked.value.name);
  if (target === "") {
    print(
      `Error: HERMES_HOME is the profile '${path.basename(config.hermesHome)}', not '${checked.value.name}'; refusing to install.`,
    );
    return 2;
  }
  // A profile is its folder (Hermes' own test): one made with nothing to configure has no config.yaml.
  if (!(await isDirectory(target))) {
    print(`Error: there is no profile '${checked.value.name}' at ${target}.`);
    return 1;
  }
  const hub = await openHub(config.hubSource, BUNDLED_HUB_DIR);
  try {
    return await installFromHub({ profileDir: target, identifier, hubRoot: hub.root, print });
  } finally {
    await hub.close();
  }
}
