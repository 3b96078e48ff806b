import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseBlueprintYaml } from "../../src/core/blueprint-yaml.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const run = promisify(execFile);
const tempDir = useTempDirs();

describe("GIVEN the README", () => {
  it("THEN its first lines are the two set-up commands, and both are npm scripts", async () => {
    const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
    const commands = readme
      .split("```sh\n")[1]
      ?.split("```")[0]
      ?.trim()
      .split("\n")
      .map((line) => line.split("#")[0]?.trim());
    expect(readme.startsWith("# agent-blueprint\n\n```sh\n")).toBe(true);
    expect(commands).toEqual(["npm install && npm start", "npm test"]);
    const scripts = (
      JSON.parse(await readFile(path.join(REPO_ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts["start"]).toContain("start");
    expect(scripts["test"]).toContain("vitest run");
  });

  it("THEN its blueprint YAML example is a valid blueprint", async () => {
    const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const parsed = parseBlueprintYaml(example);
    expect(parsed.ok ? [] : parsed.problems).toEqual([]);
  });

  it("WHEN its piped-script example is run as written THEN it creates the profile", async () => {
    const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
    const example = /```sh\n(printf [\s\S]*?\| npm start)\n```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const data = await tempDir();
    await run("bash", ["-c", example ?? ""], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env["PATH"] ?? "",
        HOME: process.env["HOME"] ?? "/tmp",
        DATA_DIR: data,
        OPENROUTER_API_KEY: "sk-readme",
      },
    });
    expect(await readdir(path.join(data, "hermes/profiles"))).toEqual(["research-bot"]);
    expect(await readFile(path.join(data, "hermes/profiles/research-bot/.env"), "utf8")).toContain(
      "OPENROUTER_API_KEY=sk-readme\n",
    );
  });
});
