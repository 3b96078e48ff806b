// The doctor's first stage is the configuration itself: without it no other check can run, so it
// is read here (the same .env + environment the bot reads) and reported before the others.
import path from "node:path";
import { config as loadDotenv } from "dotenv";
import { EXIT } from "../../app/system/exit.ts";
import { PACKAGE_ROOT } from "../../app/system/package-root.ts";
import { loadConfig } from "../../app/system/config.ts";
import { discoverHermes } from "../../app/hermes/discover.ts";
import { DOCTOR_CHECKS } from "./doctor-checks.ts";
import { runChecks } from "./doctor.ts";

export async function runDoctor(
  cwd: string,
  options: { fix: boolean; guildId?: string },
  print: (line: string) => void,
): Promise<number> {
  loadDotenv({ path: path.join(cwd, ".env"), quiet: true });
  const loaded = loadConfig(process.env, cwd, PACKAGE_ROOT);
  if (!loaded.ok) {
    print(`✗ 1. Configuration: ${loaded.problems.length} variable(s) invalid`);
    for (const problem of loaded.problems) print(`     ${problem}`);
    print("     to do: fix these in the environment or .env (see .env.example); the other checks need them.");
    return EXIT.environment;
  }
  const { config } = loaded;
  const platforms = [
    config.telegramToken ? "Telegram token has the right shape" : undefined,
    config.discordToken ? "Discord token has the right shape" : undefined,
  ].filter(Boolean);
  print(
    `✓ 1. Configuration: every variable valid; adapters ${config.adapters.join(", ")}${platforms.length > 0 ? `; ${platforms.join(", ")}` : ""}`,
  );
  const hermes = await discoverHermes(config.hermesBin);
  return runChecks(DOCTOR_CHECKS, { config, hermes, ...options }, print, 2);
}
