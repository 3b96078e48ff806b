import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const ID = "engineering-security-engineer";

async function withProfile() {
  const data = await tempDir();
  const library = path.join(data, "library");
  await cp(path.join(REPO_ROOT, "library"), library, { recursive: true, verbatimSymlinks: true });
  const env = { DATA_DIR: data, BLUEPRINT_LIBRARY: library };
  const blueprint = path.join(data, "bot.yaml");
  await writeFile(
    blueprint,
    "name: bot\nmodel: { provider: openai, model: gpt-4.1 }\nskills: { builtin: none }\n",
  );
  expect((await runCli(["create", "--from", blueprint], { env })).code).toBe(0);
  const config = path.join(data, "hermes/profiles/bot/config.yaml");
  return { env, library, config };
}

describe("GIVEN the console and a profile", () => {
  it("WHEN personas are listed, applied, checked and undone THEN config.yaml follows and Hermes can read it", async () => {
    const { env, config } = await withProfile();
    const input = [
      "/persona categories",
      "/persona list testing",
      `/persona apply ${ID} bot`,
      "/persona status bot",
      "1",
      "/persona status bot",
      "",
    ].join("\n");
    const result = await runCli(["start"], { input, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("engineering (4)");
    expect(result.stdout).toContain("⏱️ testing-performance-tester — Performance Tester");
    expect(result.stdout).toContain(`Applied 🛡️ Security Engineer v1.0.0 to profile 'bot'.`);
    expect(result.stdout).toContain("agent.system_prompt now holds its prompt");
    expect(result.stdout).toContain(`✓ ${ID}: current — v1.0.0`);
    expect(result.stdout).toContain("Undone on profile 'bot'");
    const after = parseYaml(await readFile(config, "utf8")) as Record<string, unknown>;
    expect(after["display"]).toBeUndefined();
    expect(after["agent"]).toBeUndefined();
  });

  it("WHEN the library file changes after an apply THEN status turns outdated and sync brings it current", async () => {
    const { env, library, config } = await withProfile();
    expect(
      (await runCli(["start"], { input: `/profile use bot\n/persona apply ${ID}\n`, env })).stdout,
    ).toContain("(bound to this chat)");
    const file = path.join(library, "personas/engineering", `${ID}.md`);
    await writeFile(
      file,
      (await readFile(file, "utf8"))
        .replace("version: 1.0.0", "version: 1.0.1")
        .replace("Calm, specific", "Calm, precise, specific"),
    );
    const result = await runCli(["start"], {
      input: "/persona status\n/persona sync\n/persona status\n",
      env,
    });
    expect(result.stdout).toContain(`⬆ ${ID}: outdated — library has v1.0.1, the profile v1.0.0`);
    expect(result.stdout).toContain(`Updated to the library version: ${ID}.`);
    expect(result.stdout).toContain(`✓ ${ID}: current — v1.0.1`);
    const written = parseYaml(await readFile(config, "utf8")) as {
      agent: { personalities: Record<string, { system_prompt: string }> };
      display: { personality: string };
    };
    expect(written.display.personality).toBe(ID);
    expect(written.agent.personalities[ID]?.system_prompt).toContain("Calm, precise, specific");
  });

  it("WHEN persona commands get bad input THEN each is answered clearly", async () => {
    const { env } = await withProfile();
    const input = [
      "/persona get",
      "/persona get securty",
      "/persona apply appsec ghost",
      "/persona apply appsec bot sideways",
      "/persona list nothing",
      "/persona apply a b c d",
      "",
    ].join("\n");
    const result = await runCli(["start"], { input, env });
    expect(result.stdout).toContain("✗ Usage: /persona get <id>");
    expect(result.stdout).toContain("✗ There is no persona 'securty'. Did you mean:");
    expect(result.stdout).toContain("✗ There is no profile 'ghost'.");
    expect(result.stdout).toContain("✗ 'sideways' is not a persona mode.");
    expect(result.stdout).toContain("✗ No personas in category 'nothing'.");
    expect(result.stdout).toContain("✗ Too many words. Usage: /persona apply <id> [profile] [mode]");
  });

  it("WHEN `blueprint personas lint` runs on the shipped library THEN it passes", async () => {
    const result = await runCli(["personas", "lint"], { env: {} });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("16 persona(s) loaded");
  });
});
