// Preloaded into the bot by bench/load.ts (`node --import ./bench/memory-probe.mjs bin/blueprint.js
// start`): once a second, one line into MEMORY_PROBE_FILE with process.memoryUsage() (so the JS heap,
// external memory and ArrayBuffers can be told apart from RSS), the event loop's delay over that
// second (its p99 and longest, 5 ms resolution: how long a ready callback waited for the thread) and
// the garbage collector's pauses. Benchmark-only: not part of the bot.
import { appendFileSync } from "node:fs";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import process from "node:process";
import { setInterval } from "node:timers";

const file = process.env.MEMORY_PROBE_FILE;
if (file) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let gcMs = 0;
  let gcMaxMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
    }
  }).observe({ entryTypes: ["gc"] });
  setInterval(() => {
    const line = {
      at: Date.now(),
      ...process.memoryUsage(),
      loopP99Ms: loop.percentile(99) / 1e6,
      loopMaxMs: loop.max / 1e6,
      gcMs,
      gcMaxMs,
    };
    loop.reset();
    gcMs = 0;
    gcMaxMs = 0;
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000).unref();
}
