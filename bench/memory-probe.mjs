// Preloaded into the bot by bench/load.ts (`node --import ./bench/memory-probe.mjs bin/blueprint.js
// start`): once a second, one line into MEMORY_PROBE_FILE with process.memoryUsage() (so the JS heap,
// external memory and ArrayBuffers can be told apart from RSS), the event loop's delay over that
// second (its p99 and longest, 5 ms resolution: how long a ready callback waited for the thread) and
// the garbage collector's pauses, and the CPU the process's threads have used so far from
// /proc/self/task (the main thread, V8's GC and compiler helpers, libuv's file threads): a rise in
// CPU that a profile of the main thread does not show is found there.
// Benchmark-only: not part of the bot.
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
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
  /**
   * CPU seconds by thread (Linux only; elsewhere empty): utime + stime of /proc/self/task/<tid>/stat.
   * Node names every thread "node", so threads are told apart by the order they were made in: the
   * main thread, then (made before any JavaScript runs) V8's platform workers (GC marking and
   * sweeping, compiling) and Node's two own threads, then libuv's threadpool (file reads, writes,
   * fsyncs, DNS), made at the first file operation.
   */
  const V8_AND_NODE_THREADS = 4 + 2; // --v8-pool-size defaults to 4
  const threadCpu = () => {
    const byGroup = {};
    let tids = [];
    try {
      tids = readdirSync("/proc/self/task")
        .map(Number)
        .sort((a, b) => a - b);
    } catch {
      return byGroup;
    }
    let rank = 0;
    for (const tid of tids) {
      const group =
        tid === process.pid
          ? "main thread"
          : ++rank <= V8_AND_NODE_THREADS
            ? "V8 helpers (GC, compiler) and Node's own"
            : "libuv threadpool (files, fsync, DNS)";
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
        // The name sits in parentheses and may hold spaces; the fields after it are fixed: utime
        // and stime are fields 14 and 15, so 12 and 13 after the state field.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        byGroup[group] = (byGroup[group] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100;
      } catch {
        // A thread that ended between the listing and the read.
      }
    }
    return byGroup;
  };
  setInterval(() => {
    const line = {
      threadCpu: threadCpu(),
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
