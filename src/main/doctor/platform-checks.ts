// The doctor's checks of the chat platforms: Discord's registered slash commands against the
// command table (--fix registers them) and Telegram's token (getMe). They live in main because they
// use the platforms' own clients, which only main and the adapters may load.
import { Api } from "grammy";
import { driftLines, hasDrift } from "../../adapters/discord/command-drift.ts";
import { registerCommands, registeredDrift } from "../../adapters/discord/register.ts";
import { DOCTOR_PROBE_TIMEOUT_MS, type DoctorCheck } from "./doctor.ts";

export const discordCheck: DoctorCheck = {
  name: "Discord commands",
  async run({ config, fix, guildId }) {
    const { discordToken: token, discordApplicationId: applicationId, discordApiRoot: apiRoot } = config;
    if (!token) return { status: "skipped", found: "DISCORD_TOKEN is not set" };
    if (!applicationId)
      return {
        status: "failed",
        found: "DISCORD_APPLICATION_ID is not set",
        action: "set it (General Information)",
      };
    const options = {
      token,
      applicationId,
      ...(apiRoot ? { apiRoot } : {}),
      ...(guildId ? { guildId } : {}),
    };
    const scope = guildId ? `guild ${guildId}` : "global";
    const drift = await registeredDrift(options);
    if (!drift.ok) return { status: "failed", found: drift.message };
    if (!hasDrift(drift.drift))
      return {
        status: "ok",
        found: `the ${scope} commands match the table (${drift.drift.unchanged.length})`,
      };
    const lines = driftLines(drift.drift).filter((line) => !line.startsWith("="));
    if (!fix)
      return {
        status: "fixable",
        found: `the ${scope} commands differ from the table: ${lines.join(", ")}`,
        action: `register them (blueprint register${guildId ? ` --guild ${guildId}` : ""})`,
      };
    const done = await registerCommands(options, () => undefined);
    if (!done.ok) return { status: "failed", found: done.message };
    return {
      status: "fixed",
      found: `the ${scope} commands differed: ${lines.join(", ")}`,
      action: "registered them",
    };
  },
};

export const telegramCheck: DoctorCheck = {
  name: "Telegram",
  async run({ config }) {
    if (!config.telegramToken) return { status: "skipped", found: "TELEGRAM_BOT_TOKEN is not set" };
    const api = new Api(config.telegramToken, {
      timeoutSeconds: DOCTOR_PROBE_TIMEOUT_MS / 1000,
      ...(config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : {}),
    });
    try {
      const me = await api.getMe();
      const allowed = config.telegramAllowedUsers.length;
      return {
        status: "ok",
        found: `getMe answers: @${me.username}; ${allowed} allowed user(s)${allowed === 0 ? " (everyone is refused)" : ""}`,
      };
    } catch (error) {
      return {
        status: "failed",
        found: `getMe failed: ${(error as Error).message}`,
        action: "check TELEGRAM_BOT_TOKEN (from @BotFather) and TELEGRAM_API_ROOT",
      };
    }
  },
};
