// The store the bot runs on: Postgres when DATABASE_URL is set (shared by every replica), else the
// embedded lowdb store in DATA_DIR. Either way the app sees only the store port.
import path from "node:path";
import type { Store } from "../app/ports/store.ts";
import { BotStore } from "../app/store/bot-store.ts";
import type { AppConfig } from "../app/system/config.ts";
import type { Logger } from "../app/system/logger.ts";

export async function openStore(config: AppConfig, logger: Logger): Promise<Store> {
  if (!config.databaseUrl) return BotStore.open(path.join(config.dataDir, "store.json"), logger);
  // Loaded only here: the embedded default never pays for pg in memory or start-up.
  const { PostgresStore } = await import("../app/store/postgres/postgres-store.ts");
  return PostgresStore.open(config.databaseUrl, logger);
}
