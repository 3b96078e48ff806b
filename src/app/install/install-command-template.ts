// INSTALL_COMMAND as an argument array. The template is split on spaces once, when it is read;
// placeholders are then replaced inside single arguments, so an identifier or a profile name can
// never become a second argument, an option or a command. Nothing goes through a shell.
import path from "node:path";
import { hubIdentifierSchema } from "../../core/blueprint.ts";
import { PROFILE_NAME_PATTERN } from "../../core/limits.ts";
import { PACKAGE_ROOT } from "../system/package-root.ts";
import type { AppConfig } from "../system/config.ts";
import type { HermesInstall } from "../hermes/discover.ts";

export const PLACEHOLDERS = ["{profile}", "{identifier}", "{home}"] as const;

export interface InstallCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** Which installer this is, for doctor and the logs. */
  readonly kind: "template" | "hermes" | "bundled";
}

export function parseCommandTemplate(template: string): InstallCommand {
  const [file, ...args] = template.trim().split(/\s+/);
  if (!file || !template.includes("{identifier}"))
    throw new Error("INSTALL_COMMAND must name a program and contain {identifier}");
  return { file, args, kind: "template" };
}

export type BuiltCommand = { ok: true; file: string; args: string[] } | { ok: false; reason: string };

/** Fills the template for one job; refuses identifiers and names outside their rules. */
export function buildInstallCommand(
  command: InstallCommand,
  values: { profile: string; identifier: string; home: string },
): BuiltCommand {
  if (!hubIdentifierSchema.safeParse(values.identifier).success) {
    return {
      ok: false,
      reason: "the identifier is not a hub identifier (no spaces, '..', shell characters or leading '-')",
    };
  }
  if (!PROFILE_NAME_PATTERN.test(values.profile)) return { ok: false, reason: "the profile name is invalid" };
  const fill = (arg: string) =>
    arg
      .replaceAll("{profile}", values.profile)
      .replaceAll("{identifier}", values.identifier)
      .replaceAll("{home}", values.home);
  return { ok: true, file: fill(command.file), args: command.args.map(fill) };
}

/**
 * INSTALL_COMMAND; else the Hermes beside the bot (`hermes skills install <id> --yes`, run with
 * HERMES_HOME set to the profile, the form that installs into that profile's skills/); else the
 * bundled installer run with this same Node.
 */
export function installCommandFor(
  config: Pick<AppConfig, "installCommand">,
  hermes?: Pick<HermesInstall, "bin">,
): InstallCommand {
  if (config.installCommand) return parseCommandTemplate(config.installCommand);
  if (hermes)
    return { file: hermes.bin, args: ["skills", "install", "{identifier}", "--yes"], kind: "hermes" };
  return {
    kind: "bundled",
    file: process.execPath,
    args: [
      path.join(PACKAGE_ROOT, "bin", "blueprint.js"),
      "install",
      "--profile",
      "{profile}",
      "{identifier}",
    ],
  };
}
