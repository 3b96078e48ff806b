// The store port's contract (store-contract.ts) on the embedded store: lowdb in a temporary DATA_DIR.
import path from "node:path";
import { BotStore } from "../../../src/app/store/bot-store.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";
import { storeContract } from "./store-contract.ts";

const tempDir = useTempDirs();

storeContract("BotStore (lowdb)", async () => {
  const file = path.join(await tempDir(), "store.json");
  const { logger } = memoryLogger();
  let current = await BotStore.open(file, logger);
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await BotStore.open(file, logger);
      return current;
    },
    // The folder itself goes with useTempDirs, after the store has written its last.
    cleanup: () => current.close(),
  };
});
