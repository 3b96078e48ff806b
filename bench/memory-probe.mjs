// Preloaded into the bot by bench/load.ts (`node --import ./bench/memory-probe.mjs bin/blueprint.js
// start`): once a second, one line of process.memoryUsage() into MEMORY_PROBE_FILE, so the JS heap,
// external memory and ArrayBuffers can be told apart from RSS. Benchmark-only: not part of the bot.
import { appendFileSync } from "node:fs";
import process from "node:process";
import { setInterval } from "node:timers";

const file = process.env.MEMORY_PROBE_FILE;
if (file)
  setInterval(() => {
    appendFileSync(file, `${JSON.stringify({ at: Date.now(), ...process.memoryUsage() })}\n`);
  }, 1000).unref();
