// Configuration from the environment (and ./.env when present), checked with zod at start-up.
// A bad value stops the bot with a message naming the variable and what it expects.
import { DEFAULT_WORKER_TARGET } from "../../core/commonground/cg-section.ts";
import { parseHostRules, type HostRules } from "../net/address-policy.ts";
import { KNOWN_SECRET_MIN_CHARS } from "../secrets/known-secrets.ts";
import {
  DEFAULT_HTTP_HOST,
  DEFAULT_HTTP_PORT,
  HTTP_HOST_PATTERN,
  TELEGRAM_WEBHOOK_SECRET_PATTERN,
  webhookUrlProblem,
} from "./webhook-config.ts";
import path from "node:path";
import { z } from "zod";

export const ADAPTER_NAMES = ["console", "telegram", "discord"] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];

/** How long an untouched wizard lives before the sweeper removes it: a day, long enough to finish a wizard left overnight. */
export const DEFAULT_SESSION_TTL_HOURS = 24;
/** Hub installs running at once (each is a subprocess). */
export const DEFAULT_INSTALL_CONCURRENCY = 2;
/** One install may run this long before its whole process group is killed. */
export const DEFAULT_INSTALL_TIMEOUT_S = 300;
/** At most one status-message edit per chat per this interval (Telegram: ~1 message/s per chat). */
export const DEFAULT_PROGRESS_MIN_INTERVAL_MS = 1000;
/** How long the Model step waits for a local server to list its models. */
export const DEFAULT_MODEL_LIST_TIMEOUT_MS = 3000;

const optionalToken = z.string().trim().min(1).optional();
/** Discord ids are snowflakes: 17 to 20 digits. */
export const SNOWFLAKE_PATTERN = /^\d{17,20}$/;
/** base64url(user id) . timestamp . HMAC, as the Developer Portal issues them. */
const DISCORD_TOKEN_SHAPE = /^[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}$/;

function snowflakeList(message: string) {
  return z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || /^\d{17,20}(\s*,\s*\d{17,20})*$/.test(value), { message });
}

function splitIds(value: string | undefined): string[] {
  return value ? value.split(",").map((id) => id.trim()) : [];
}

const envSchema = z.object({
  HERMES_HOME: z.string().trim().min(1).optional(),
  HERMES_BIN: z.string().trim().min(1).optional(),
  /** Hermes' own switch (tools/url_safety.py), read with Hermes' words for yes and no. */
  HERMES_ALLOW_PRIVATE_URLS: z
    .string()
    .trim()
    .toLowerCase()
    .refine((value) => ["", "true", "1", "yes", "false", "0", "no"].includes(value), {
      message: "true/1/yes or false/0/no, as Hermes reads it",
    })
    .optional(),
  /** A Hermes dashboard (`hermes serve`) on another machine: profiles are made there, not in HERMES_HOME. */
  HERMES_URL: z
    .string()
    .trim()
    .refine((value) => dashboardUrlProblem(value) === undefined, {
      message: "an http(s) URL of Hermes' dashboard without credentials, e.g. http://hermes-box:9119",
    })
    .optional(),
  /** The session token that Hermes was started with (HERMES_DASHBOARD_SESSION_TOKEN on its side). */
  HERMES_TOKEN: optionalToken,
  /** Several Hermes hosts by name: `box=http://box:9119,lab=https://lab.example`; tokens in HERMES_TOKEN_<NAME>. */
  HERMES_HOSTS: z.string().trim().optional(),
  /** A CommonGround management API (v1r4): profiles are also made in its project COMMONGROUND_PROJECT. */
  COMMONGROUND_URL: z
    .string()
    .trim()
    .refine((value) => dashboardUrlProblem(value) === undefined, {
      message: "an http(s) URL of CommonGround's management API without credentials, e.g. http://cg-box:8000",
    })
    .optional(),
  COMMONGROUND_PROJECT: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, "a project id: letters, digits, '_', '.', '-' (1–128)")
    .optional(),
  /** Sent as a Bearer token, for an operator who put the API behind a proxy that checks one. */
  COMMONGROUND_TOKEN: optionalToken,
  /** The worker profiles target unless they name one (else worker_generic). */
  COMMONGROUND_WORKER_TARGET: z.string().trim().min(1).max(200).optional(),
  /** Its name among the targets a chat picks from (`/profile use <name>:`), default `cg`. */
  COMMONGROUND_NAME: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "a-z, 0-9 and -, up to 32")
    .optional(),
  DATA_DIR: z.string().trim().min(1).optional(),
  /**
   * postgres://user:password@host:port/db — the store shared by several replicas. Unset: the
   * embedded lowdb store in DATA_DIR (one process).
   */
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .refine(
      (value) => value === undefined || value === "" || /^postgres(ql)?:\/\/[^\s]+$/.test(value),
      "a postgres:// or postgresql:// URL (e.g. postgres://blueprint:secret@127.0.0.1:5432/blueprint)",
    ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  BLUEPRINT_ADAPTERS: z
    .string()
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === "") return undefined;
      const names = value.split(",").map((name) => name.trim().toLowerCase());
      const unknown = names.filter((name) => !(ADAPTER_NAMES as readonly string[]).includes(name));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `unknown adapter '${unknown.join("', '")}'; use ${ADAPTER_NAMES.join(", ")}`,
        });
        return z.NEVER;
      }
      return [...new Set(names)] as AdapterName[];
    }),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 365)
    .default(DEFAULT_SESSION_TTL_HOURS),
  MODEL_LIST_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(DEFAULT_MODEL_LIST_TIMEOUT_MS),
  MODEL_SERVER_HOSTS: z
    .string()
    .trim()
    .optional()
    .transform((spec, ctx) => {
      const parsed = parseHostRules(spec ?? "");
      if (!parsed.ok) {
        ctx.addIssue({
          code: "custom",
          message: `${parsed.reason}; give loopback, private, IP addresses, CIDR ranges or host names, comma-separated`,
        });
        return z.NEVER;
      }
      return parsed.value;
    }),
  BLUEPRINT_LIBRARY: z.string().trim().min(1).optional(),
  BLUEPRINT_HUB: z.string().trim().min(1).optional(),
  INSTALL_COMMAND: z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || value.includes("{identifier}"), {
      message: "must contain {identifier}, e.g. hermes -p {profile} skills install {identifier} --yes",
    }),
  INSTALL_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(DEFAULT_INSTALL_CONCURRENCY),
  INSTALL_TIMEOUT_S: z.coerce.number().int().min(1).max(3600).default(DEFAULT_INSTALL_TIMEOUT_S),
  PROGRESS_MIN_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(DEFAULT_PROGRESS_MIN_INTERVAL_MS),
  TELEGRAM_BOT_TOKEN: optionalToken.refine(
    (token) => token === undefined || /^\d+:[A-Za-z0-9_-]{20,}$/.test(token),
    {
      message: "looks wrong: a bot token from @BotFather is <digits>:<35 characters>",
    },
  ),
  TELEGRAM_API_ROOT: z
    .string()
    .trim()
    .regex(/^https?:\/\/\S+$/, "must be an http(s) URL")
    .optional(),
  TELEGRAM_ALLOWED_USERS: z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || /^\d+(\s*,\s*\d+)*$/.test(value), {
      message: "a comma-separated list of numeric Telegram user ids",
    }),
  /** Webhook mode: the public URL registered with setWebhook (polling when unset). */
  TELEGRAM_WEBHOOK_URL: z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const problem = webhookUrlProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .trim()
    .regex(
      TELEGRAM_WEBHOOK_SECRET_PATTERN,
      "1–256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule), e.g. the output of `openssl rand -hex 32`",
    )
    .optional(),
  HTTP_HOST: z
    .string()
    .trim()
    .regex(HTTP_HOST_PATTERN, "an IP address or host name to listen on, e.g. 127.0.0.1 or 0.0.0.0")
    .default(DEFAULT_HTTP_HOST),
  HTTP_PORT: z.coerce
    .number({ message: "a port number, 0–65535" })
    .int("a port number, 0–65535")
    .min(0, "a port number, 0–65535")
    .max(65535, "a port number, 0–65535")
    .default(DEFAULT_HTTP_PORT),
  DISCORD_TOKEN: optionalToken.refine((token) => token === undefined || DISCORD_TOKEN_SHAPE.test(token), {
    message: "looks wrong: a Discord bot token is three dot-separated parts (Developer Portal → Bot)",
  }),
  DISCORD_APPLICATION_ID: z
    .string()
    .trim()
    .regex(SNOWFLAKE_PATTERN, "must be the numeric application id")
    .optional(),
  DISCORD_API_ROOT: z
    .string()
    .trim()
    .regex(/^https?:\/\/\S+\/api$/, "must be an http(s) URL ending in /api")
    .optional(),
  DISCORD_ALLOWED_USERS: snowflakeList("a comma-separated list of numeric Discord user ids"),
  DISCORD_ALLOWED_ROLES: snowflakeList("a comma-separated list of numeric Discord role ids"),
  DISCORD_PUBLIC_KEY: z
    .string()
    .trim()
    .regex(
      /^[0-9a-fA-F]{64}$/,
      "must be the application's public key, 64 hex characters (Developer Portal → General Information → Public Key)",
    )
    .optional(),
});

export interface AppConfig {
  readonly hermesHome: string;
  /**
   * HERMES_ALLOW_PRIVATE_URLS: hub identifiers may be http(s) URLs on the operator's network (Hermes,
   * which inherits the variable, then fetches them too).
   */
  readonly allowPrivateHubUrls: boolean;
  /** The Hermes executable to use (HERMES_BIN); unset: `hermes` on PATH, if there is one. */
  readonly hermesBin?: string;
  readonly profilesRoot: string;
  /**
   * HERMES_URL + HERMES_TOKEN: profiles are created and managed on that Hermes through its dashboard
   * API; HERMES_HOME and a local Hermes are then not written to.
   */
  readonly remoteHermes?: { readonly url: string; readonly token: string };
  /**
   * HERMES_HOSTS: several Hermes hosts by name, each with its token (HERMES_TOKEN_<NAME>); profiles
   * are named `<host>:<name>`, and a chat's wizard creates on the host of the profile it is bound to.
   */
  readonly hermesHosts?: readonly HermesHost[];
  /**
   * COMMONGROUND_URL + COMMONGROUND_PROJECT: a CommonGround project to make profiles in, beside the
   * Hermes target(s); a chat picks it as it picks a Hermes host (`/profile use <name>:`).
   */
  readonly commonground?: CommonGroundTarget;
  readonly dataDir: string;
  /** DATABASE_URL: Postgres shared by the replicas instead of the embedded store (it may hold a password). */
  readonly databaseUrl?: string;
  readonly libraryDir: string;
  readonly logLevel: string;
  readonly adapters: readonly AdapterName[];
  readonly sessionTtlMs: number;
  readonly modelListTimeoutMs: number;
  /** Inner addresses the Model step may contact from a chat (MODEL_SERVER_HOSTS; see net/address-policy.ts). */
  readonly modelServerHosts: HostRules;
  /** The hub folder or file:// git repository for the bundled installer (unset: library/hub). */
  readonly hubSource?: string;
  /** INSTALL_COMMAND as given; unset means the bundled installer. */
  readonly installCommand?: string;
  readonly installConcurrency: number;
  readonly installTimeoutMs: number;
  readonly progressMinIntervalMs: number;
  readonly telegramToken?: string;
  readonly telegramApiRoot?: string;
  /** Telegram user ids allowed to use the bot (empty: nobody; they are told their id). */
  readonly telegramAllowedUsers: readonly string[];
  /**
   * TELEGRAM_WEBHOOK_URL + TELEGRAM_WEBHOOK_SECRET: Telegram delivers updates to the HTTP server's
   * POST /telegram (any replica may take any update) instead of the bot long-polling for them.
   */
  readonly telegramWebhook?: { readonly url: string; readonly secret: string };
  /**
   * HTTP_HOST / HTTP_PORT: where the replicated mode's HTTP server listens. It runs only when an
   * endpoint is mounted on it (Telegram webhook mode).
   */
  readonly http: { readonly host: string; readonly port: number };
  readonly discordToken?: string;
  readonly discordApplicationId?: string;
  /** discord.js's REST base (an @discordjs/proxy in production, a loopback fake in tests). */
  readonly discordApiRoot?: string;
  /** Discord users and roles allowed to use the bot (both empty: nobody; they are told their id). */
  readonly discordAllowedUsers: readonly string[];
  readonly discordAllowedRoles: readonly string[];
  /** The application's public key: set, Discord POSTs interactions to the bot (no gateway). */
  readonly discordPublicKey?: string;
}

export interface CommonGroundTarget {
  readonly name: string;
  readonly url: string;
  readonly project: string;
  readonly token?: string;
  readonly workerTarget: string;
}

export interface HermesHost {
  readonly name: string;
  readonly url: string;
  readonly token: string;
}

/** A host's name in HERMES_HOSTS: short, lower case, no colon (it prefixes profile names). */
export const HERMES_HOST_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** More hosts than this in one bot is a configuration mistake, not a fleet. */
export const HERMES_HOSTS_MAX = 16;

/** The variable holding a host's token: HERMES_TOKEN_ and the name in upper case, `-` as `_`. */
export function hostTokenVariable(name: string): string {
  return `HERMES_TOKEN_${name.toUpperCase().replace(/-/g, "_")}`;
}

function dashboardUrlProblem(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    if ((parsed.protocol === "http:" || parsed.protocol === "https:") && !parsed.username && !parsed.password)
      return undefined;
  } catch {
    // not a URL at all
  }
  return "an http(s) URL of Hermes' dashboard without credentials, e.g. http://hermes-box:9119";
}

/** HERMES_HOSTS read: each `name=url` checked, each token found, or every problem named. */
function parseHermesHosts(
  value: string,
  env: Record<string, string | undefined>,
): { ok: true; hosts: HermesHost[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const hosts: HermesHost[] = [];
  const entries = value
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0)
    problems.push("HERMES_HOSTS: name=url pairs, e.g. box=http://box:9119,lab=http://lab:9119");
  if (entries.length > HERMES_HOSTS_MAX) problems.push(`HERMES_HOSTS: at most ${HERMES_HOSTS_MAX} hosts`);
  for (const entry of entries.slice(0, HERMES_HOSTS_MAX)) {
    const at = entry.indexOf("=");
    const name = (at > 0 ? entry.slice(0, at) : entry).trim().toLowerCase();
    const url = at > 0 ? entry.slice(at + 1).trim() : "";
    if (!HERMES_HOST_NAME_PATTERN.test(name)) {
      problems.push(
        `HERMES_HOSTS: '${name.slice(0, 32)}' is not a host name (a-z, 0-9 and -, up to 32, no colon)`,
      );
      continue;
    }
    if (hosts.some((host) => host.name === name)) problems.push(`HERMES_HOSTS: '${name}' is named twice`);
    const urlProblem = dashboardUrlProblem(url);
    if (urlProblem) problems.push(`HERMES_HOSTS: ${name}: ${urlProblem}`);
    const token = env[hostTokenVariable(name)]?.trim();
    if (!token)
      problems.push(
        `${hostTokenVariable(name)}: set it to the session token Hermes' dashboard on '${name}' was started with`,
      );
    if (!urlProblem && token) hosts.push({ name, url, token });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, hosts };
}

/** Webhook mode needs both the URL and the secret, and the URL must carry neither secret. */
function telegramWebhookProblem(values: z.infer<typeof envSchema>): string | undefined {
  const { TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_BOT_TOKEN: token } = values;
  if (url && !secret)
    return "TELEGRAM_WEBHOOK_SECRET: webhook mode (TELEGRAM_WEBHOOK_URL) needs a secret Telegram sends with every update: set 1–256 characters of A-Z, a-z, 0-9, _ and - (e.g. `openssl rand -hex 32`)";
  if (secret && !url)
    return "TELEGRAM_WEBHOOK_URL: TELEGRAM_WEBHOOK_SECRET is set, so give the public https URL Telegram delivers updates to (e.g. https://bot.example.com/telegram), or unset the secret to long-poll";
  // A secret shorter than this is too likely to occur in a URL by chance (and is not redacted either).
  const secretInUrl =
    secret !== undefined && secret.length >= KNOWN_SECRET_MIN_CHARS && url?.includes(secret);
  if (url && ((token && url.includes(token)) || secretInUrl))
    return "TELEGRAM_WEBHOOK_URL: must not contain the bot token or the webhook secret (URLs are logged; Telegram sends the secret in a header)";
  return undefined;
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

/** Reads config from a plain env record; paths are resolved against `cwd`. */
export function loadConfig(
  env: Record<string, string | undefined>,
  cwd: string,
  packageRoot: string,
): ConfigResult {
  // An empty value (e.g. `HERMES_HOME=` copied from .env.example) means "use the default".
  const set = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
  const parsed = envSchema.safeParse(set);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    };
  }
  const values = parsed.data;
  if (values.HERMES_HOSTS && (values.HERMES_URL || values.HERMES_TOKEN))
    return {
      ok: false,
      problems: [
        "HERMES_HOSTS: set either HERMES_URL + HERMES_TOKEN (one Hermes host) or HERMES_HOSTS (several), not both",
      ],
    };
  const hosts = values.HERMES_HOSTS ? parseHermesHosts(values.HERMES_HOSTS, set) : undefined;
  if (hosts && !hosts.ok) return hosts;
  if (Boolean(values.HERMES_URL) !== Boolean(values.HERMES_TOKEN))
    return {
      ok: false,
      problems: [
        values.HERMES_URL
          ? "HERMES_TOKEN: set it to the session token Hermes' dashboard was started with (HERMES_DASHBOARD_SESSION_TOKEN on the Hermes host)"
          : "HERMES_URL: HERMES_TOKEN is set, so give the dashboard's URL too (e.g. http://hermes-box:9119), or unset the token",
      ],
    };
  if (Boolean(values.COMMONGROUND_URL) !== Boolean(values.COMMONGROUND_PROJECT))
    return {
      ok: false,
      problems: [
        values.COMMONGROUND_URL
          ? "COMMONGROUND_PROJECT: set the project whose profiles the bot makes (its project_id)"
          : "COMMONGROUND_URL: COMMONGROUND_PROJECT is set, so give the management API's URL too (e.g. http://cg-box:8000)",
      ],
    };
  const cgName = values.COMMONGROUND_NAME ?? "cg";
  if (values.COMMONGROUND_URL && !hosts && (cgName === "local" || cgName === "hermes"))
    return {
      ok: false,
      problems: [
        `COMMONGROUND_NAME: '${cgName}' names the Hermes target beside it; give CommonGround another name`,
      ],
    };
  if (values.COMMONGROUND_URL && hosts?.ok && hosts.hosts.some((host) => host.name === cgName))
    return {
      ok: false,
      problems: [
        `COMMONGROUND_NAME: '${cgName}' is also a name in HERMES_HOSTS; give one of them another name`,
      ],
    };
  const webhookProblem = telegramWebhookProblem(values);
  if (webhookProblem) return { ok: false, problems: [webhookProblem] };
  const dataDir = path.resolve(cwd, values.DATA_DIR ?? "data");
  const hermesHome = path.resolve(cwd, values.HERMES_HOME ?? path.join(dataDir, "hermes"));
  const tokenAdapters: AdapterName[] = [
    ...(values.TELEGRAM_BOT_TOKEN ? (["telegram"] as const) : []),
    ...(values.DISCORD_TOKEN ? (["discord"] as const) : []),
  ];
  const adapters =
    values.BLUEPRINT_ADAPTERS ?? (tokenAdapters.length > 0 ? tokenAdapters : ["console" as const]);
  return {
    ok: true,
    config: {
      hermesHome,
      ...(values.HERMES_BIN ? { hermesBin: path.resolve(cwd, values.HERMES_BIN) } : {}),
      allowPrivateHubUrls: ["true", "1", "yes"].includes(values.HERMES_ALLOW_PRIVATE_URLS ?? ""),
      profilesRoot: path.join(hermesHome, "profiles"),
      ...(values.HERMES_URL && values.HERMES_TOKEN
        ? { remoteHermes: { url: values.HERMES_URL, token: values.HERMES_TOKEN } }
        : {}),
      ...(hosts?.ok ? { hermesHosts: hosts.hosts } : {}),
      ...(values.COMMONGROUND_URL && values.COMMONGROUND_PROJECT
        ? {
            commonground: {
              name: cgName,
              url: values.COMMONGROUND_URL,
              project: values.COMMONGROUND_PROJECT,
              workerTarget: values.COMMONGROUND_WORKER_TARGET ?? DEFAULT_WORKER_TARGET,
              ...(values.COMMONGROUND_TOKEN ? { token: values.COMMONGROUND_TOKEN } : {}),
            },
          }
        : {}),
      dataDir,
      ...(values.DATABASE_URL ? { databaseUrl: values.DATABASE_URL } : {}),
      libraryDir: path.resolve(cwd, values.BLUEPRINT_LIBRARY ?? path.join(packageRoot, "library")),
      // In the terminal the wizard owns the screen, so only warnings and worse are logged by default.
      logLevel: values.LOG_LEVEL ?? (adapters.length === 1 && adapters[0] === "console" ? "warn" : "info"),
      adapters,
      sessionTtlMs: values.SESSION_TTL_HOURS * 3_600_000,
      modelListTimeoutMs: values.MODEL_LIST_TIMEOUT_MS,
      modelServerHosts: values.MODEL_SERVER_HOSTS,
      ...(values.BLUEPRINT_HUB ? { hubSource: values.BLUEPRINT_HUB } : {}),
      ...(values.INSTALL_COMMAND ? { installCommand: values.INSTALL_COMMAND } : {}),
      installConcurrency: values.INSTALL_CONCURRENCY,
      installTimeoutMs: values.INSTALL_TIMEOUT_S * 1000,
      progressMinIntervalMs: values.PROGRESS_MIN_INTERVAL_MS,
      ...(values.TELEGRAM_BOT_TOKEN ? { telegramToken: values.TELEGRAM_BOT_TOKEN } : {}),
      ...(values.TELEGRAM_API_ROOT ? { telegramApiRoot: values.TELEGRAM_API_ROOT } : {}),
      telegramAllowedUsers: splitIds(values.TELEGRAM_ALLOWED_USERS),
      ...(values.TELEGRAM_WEBHOOK_URL && values.TELEGRAM_WEBHOOK_SECRET
        ? { telegramWebhook: { url: values.TELEGRAM_WEBHOOK_URL, secret: values.TELEGRAM_WEBHOOK_SECRET } }
        : {}),
      http: { host: values.HTTP_HOST, port: values.HTTP_PORT },
      ...(values.DISCORD_TOKEN ? { discordToken: values.DISCORD_TOKEN } : {}),
      ...(values.DISCORD_APPLICATION_ID ? { discordApplicationId: values.DISCORD_APPLICATION_ID } : {}),
      ...(values.DISCORD_API_ROOT ? { discordApiRoot: values.DISCORD_API_ROOT } : {}),
      discordAllowedUsers: splitIds(values.DISCORD_ALLOWED_USERS),
      discordAllowedRoles: splitIds(values.DISCORD_ALLOWED_ROLES),
      ...(values.DISCORD_PUBLIC_KEY ? { discordPublicKey: values.DISCORD_PUBLIC_KEY.toLowerCase() } : {}),
    },
  };
}
