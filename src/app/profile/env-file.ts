// The profile's .env: Hermes' own comment header (byte for byte, `hermes profile create`), then
// plain KEY=VALUE lines.
// Mode 0600 always; clones drop every messaging-platform credential (one token, one gateway).

export const ENV_FILE_MODE = 0o600;

export const ENV_FILE_HEADER = [
  "# Per-profile secrets for this Hermes profile.",
  "# API keys and tokens set here override the shell environment.",
  "# Behavioral settings belong in config.yaml, not here.",
];

/**
 * Messaging-platform settings a clone must not carry: a bot token polled by two gateways breaks
 * both (Telegram answers 409 Conflict), and allowlists belong to the gateway that owns the token.
 */
const PLATFORM_ENV_KEY =
  /^(TELEGRAM|DISCORD|SLACK|WHATSAPP|SIGNAL|MATRIX|MATTERMOST|HOMEASSISTANT|EMAIL|SMS|TWILIO|GATEWAY)_|_BOT_TOKEN$|_ALLOWED_(USERS|ROLES|CHATS|CHANNELS)$/;

export function isPlatformEnvKey(key: string): boolean {
  return PLATFORM_ENV_KEY.test(key);
}

/**
 * A secret left empty is written commented out (`# KEY=`): Hermes loads a profile's .env with
 * override, so a bare `KEY=` would set the variable to "" and hide the operator's own shell value,
 * where Hermes' own profiles simply inherit it until a key is set.
 */
export function formatEnvFile(entries: ReadonlyArray<readonly [string, string]>): string {
  const lines = entries.map(([key, value]) =>
    value === "" ? `# ${key}=` : `${key}=${formatEnvValue(value)}`,
  );
  return [...ENV_FILE_HEADER, ...lines].join("\n") + "\n";
}

/** `# KEY=`: a secret the profile needs, not set yet. */
const PLACEHOLDER = /^#\s*([A-Za-z_][A-Za-z0-9_]*)=\s*$/;

/** Removes platform credentials from a copied .env, keeping every other line (comments too). */
export function stripPlatformSecrets(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  const kept = text.split("\n").filter((line) => {
    const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (key && isPlatformEnvKey(key)) {
      removed.push(key);
      return false;
    }
    return true;
  });
  return { text: kept.join("\n"), removed };
}

/** A value as a .env line holds it: plain, or single-quoted when it starts like a quoted value. */
export function formatEnvValue(value: string): string {
  return /^["']/.test(value) ? `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : value;
}

/** The keys of a .env text and whether each has a value; the values themselves are not returned. */
export function envKeys(text: string): { key: string; set: boolean }[] {
  return text.split("\n").flatMap((line) => {
    const placeholder = PLACEHOLDER.exec(line)?.[1];
    if (placeholder) return [{ key: placeholder, set: false }];
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    return match?.[1] ? [{ key: match[1], set: (match[2] ?? "").trim() !== "" }] : [];
  });
}
