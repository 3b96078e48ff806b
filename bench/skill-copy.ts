// Built-in skills into a profile: Create's old copyTree (fs.cp) + hashSkillDir against the one pass
// of copySkillDir, on the same skills tree. Run: npm run bench:skill-copy  (prints a markdown section)
// Interleaved round by round, the order swapped every round, because the machines are shared and
// absolute times are noisy: read the ratios.
//   A  for every built-in skill: copyTree(from, to), then hashSkillDir(from) (the manifest line).
//   B  for every built-in skill: copySkillDir(from, to) (copy and manifest hash in one pass).
//   C  descriptionFiles(root), which Create runs once after the skills (for scale, not compared).
// "busy" is the event loop's active time (performance.eventLoopUtilization) over the same span: the
// main thread's share, which is what a Create under load costs the other users.
import { readFileSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { descriptionFiles, discoverSkillTree } from "../src/app/library/skill-tree.ts";
import { copySkillDir, copyTree, hashSkillDir } from "../src/app/profile/skill-files.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const SKILLS = path.resolve(process.env["BENCH_SKILL_COPY_ROOT"] ?? path.join(ROOT, "library", "skills"));
const WARMUP = 20;
const ROUNDS = Number(process.env["BENCH_SKILL_COPY_ROUNDS"] ?? 300);

interface Sample {
  readonly ms: number;
  readonly busyMs: number;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

async function measure(work: () => Promise<unknown>): Promise<Sample> {
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  return { ms, busyMs: performance.eventLoopUtilization(loop).active };
}

const { dirs } = await discoverSkillTree(SKILLS, [], false);
const skills = [...dirs].sort(([a], [b]) => (a < b ? -1 : 1));
if (skills.length === 0) throw new Error(`no skills under ${SKILLS}`);
const temp = await mkdtemp(path.join(os.tmpdir(), "bench-skill-copy-"));

/** A: what copySkills did per skill; the manifest hashes, by id. */
async function oldPass(skillsDir: string): Promise<string[]> {
  const hashes: string[] = [];
  for (const [id, from] of skills) {
    await copyTree(from, path.join(skillsDir, ...id.split("/")));
    hashes.push(await hashSkillDir(from));
  }
  return hashes;
}

/** B: what copySkills does now. */
async function newPass(skillsDir: string): Promise<string[]> {
  const hashes: string[] = [];
  for (const [id, from] of skills)
    hashes.push((await copySkillDir(from, path.join(skillsDir, ...id.split("/")))).hash);
  return hashes;
}

try {
  const samples: Record<"A" | "B" | "C", Sample[]> = { A: [], B: [], C: [] };
  let files = 0;
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const measured = round >= WARMUP;
    const passes: ["A" | "B", (dir: string) => Promise<string[]>][] = [
      ["A", oldPass],
      ["B", newPass],
    ];
    if (round % 2 === 1) passes.reverse();
    const hashes: Partial<Record<"A" | "B", string[]>> = {};
    for (const [key, pass] of passes) {
      const dir = path.join(temp, `${round}-${key}`, "skills");
      const sample = await measure(async () => (hashes[key] = await pass(dir)));
      if (measured) samples[key].push(sample);
    }
    if (JSON.stringify(hashes.A) !== JSON.stringify(hashes.B))
      throw new Error("the two passes' hashes differ");
    const sample = await measure(async () => (files = (await descriptionFiles(SKILLS)).length));
    if (measured) samples.C.push(sample);
    await rm(path.join(temp, `${round}-A`), { recursive: true });
    await rm(path.join(temp, `${round}-B`), { recursive: true });
  }

  const f = (value: number, digits = 3) => value.toFixed(digits);
  const med = (key: "A" | "B" | "C", field: keyof Sample) =>
    quantile(
      samples[key].map((sample) => sample[field]),
      0.5,
    );
  const p90 = (key: "A" | "B" | "C", field: keyof Sample) =>
    quantile(
      samples[key].map((sample) => sample[field]),
      0.9,
    );
  const row = (label: string, key: "A" | "B" | "C") =>
    `| ${label} | ${f(med(key, "ms"))} | ${f(p90(key, "ms"))} | ${f(med(key, "busyMs"))} | ${f(p90(key, "busyMs"))} |`;
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown CPU";
  let fileCount = 0;
  for (const [, dir] of skills)
    fileCount += (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) =>
      entry.isFile(),
    ).length;
  process.stdout.write(`## Built-in skills copy: fs.cp + hash vs one pass

Command: \`npm run bench:skill-copy\` (bench/skill-copy.ts). Machine: ${os.availableParallelism()} × ${cpu}, Node ${process.version},
${os.platform()} ${os.release()}. Run on ${new Date().toISOString().slice(0, 10)}. Shared machine: read the ratios.
Tree: ${SKILLS.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, SKILLS) : SKILLS} (${skills.length} skills, ${fileCount} files, ${files} DESCRIPTION.md). ${WARMUP} warm-up rounds, then ${ROUNDS}
measured, A and B interleaved (order swapped every round). Medians and p90 (nearest rank).

| ratio (medians) | wall | main thread busy |
|---|---|---|
| B / A: copySkillDir vs copyTree + hashSkillDir | ${f(med("B", "ms") / med("A", "ms"), 2)}× | ${f(med("B", "busyMs") / med("A", "busyMs"), 2)}× |

| measure (all built-ins, one Create) | median ms | p90 ms | busy median ms | busy p90 ms |
|---|---|---|---|---|
${row("A. copyTree (fs.cp, lstat filter) + hashSkillDir per skill", "A")}
${row("B. copySkillDir per skill", "B")}
${row("C. descriptionFiles of the tree (for scale)", "C")}
`);
} finally {
  await rm(temp, { recursive: true, force: true });
}
