// Setting and deleting one key in a profile's .env: every other line kept byte for byte, the file
// written atomically at mode 0600, and a refused value never repeated in the refusal.
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ENV_FILE_HEADER,
  envKeys,
  formatEnvFile,
  formatEnvValue,
} from "../../../src/app/profile/env-file.ts";
import {
  checkKeyName,
  checkKeyValue,
  deleteEnvLines,
  deleteProfileKey,
  setEnvLine,
  setProfileKey,
} from "../../../src/app/profile/keys/env-edit.ts";
import { recordSecret } from "../../helpers/leak-ledger.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const KEY = "sk-or-unit-env-edit-0123456789";
const ROTATED = "sk-or-unit-env-edit-rotated-987";
recordSecret(KEY);
recordSecret(ROTATED);

/** A .env as a person leaves it: Hermes' header, comments, blank lines, an export, odd spacing. */
const HAND_EDITED = [
  ...ENV_FILE_HEADER,
  "",
  "# my notes: keep this",
  "# OPENROUTER_API_KEY=",
  "export  OTHER_TOKEN = keep-me-exactly   ",
  "GITHUB_TOKEN=",
  "",
].join("\n");

describe("GIVEN a hand-edited .env text", () => {
  it("WHEN a key with a `# KEY=` placeholder is set THEN only the placeholder line changes", () => {
    const { text, replaced } = setEnvLine(HAND_EDITED, "OPENROUTER_API_KEY", KEY);
    expect(replaced).toBe(true);
    expect(text).toBe(HAND_EDITED.replace("# OPENROUTER_API_KEY=", `OPENROUTER_API_KEY=${KEY}`));
  });

  it("WHEN a set key is set again THEN its line is replaced and a later duplicate is removed (dotenv's last line would win)", () => {
    const twice = `${HAND_EDITED}OPENROUTER_API_KEY=old-one-123456\nOPENROUTER_API_KEY=old-two-123456\n`;
    const { text } = setEnvLine(twice, "OPENROUTER_API_KEY", ROTATED);
    expect(text).toBe(`${HAND_EDITED}OPENROUTER_API_KEY=${ROTATED}\n`);
  });

  it("WHEN a key not in the file is set THEN it is appended and every earlier byte is kept", () => {
    const { text, replaced } = setEnvLine(HAND_EDITED, "NEW_KEY", KEY);
    expect(replaced).toBe(false);
    expect(text).toBe(`${HAND_EDITED}NEW_KEY=${KEY}\n`);
    expect(setEnvLine("A=1", "NEW_KEY", KEY).text).toBe(`A=1\nNEW_KEY=${KEY}\n`);
  });

  it("WHEN the file uses CRLF THEN the replaced and appended lines keep CRLF", () => {
    const crlf = "# A=\r\nB=2\r\n";
    expect(setEnvLine(crlf, "A", KEY).text).toBe(`A=${KEY}\r\nB=2\r\n`);
    expect(setEnvLine(crlf, "C", KEY).text).toBe(`# A=\r\nB=2\r\nC=${KEY}\r\n`);
  });

  it("WHEN a key is deleted THEN its line is removed entirely, not left as KEY=, and the rest is byte for byte", () => {
    const set = setEnvLine(HAND_EDITED, "OPENROUTER_API_KEY", KEY).text;
    const { text, removed } = deleteEnvLines(set, "OPENROUTER_API_KEY");
    expect(removed).toBe(1);
    expect(text).toBe(HAND_EDITED.replace("# OPENROUTER_API_KEY=\n", ""));
    expect(text).not.toMatch(/^OPENROUTER_API_KEY/m);
    expect(deleteEnvLines(HAND_EDITED, "OTHER_TOKEN").text).toBe(
      HAND_EDITED.replace("export  OTHER_TOKEN = keep-me-exactly   \n", ""),
    );
  });

  it("WHEN a key that only has a placeholder is deleted THEN nothing is removed", () => {
    expect(deleteEnvLines(HAND_EDITED, "OPENROUTER_API_KEY")).toEqual({ text: HAND_EDITED, removed: 0 });
  });

  it("WHEN a key's name is a prefix of another's THEN only its own line is touched", () => {
    const text = "GITHUB_TOKEN_EXTRA=x\nGITHUB_TOKEN=y\n";
    expect(deleteEnvLines(text, "GITHUB_TOKEN").text).toBe("GITHUB_TOKEN_EXTRA=x\n");
    expect(setEnvLine(text, "GITHUB_TOKEN", KEY).text).toBe(`GITHUB_TOKEN_EXTRA=x\nGITHUB_TOKEN=${KEY}\n`);
  });

  it("WHEN a value starts with a quote THEN it is single-quoted with dotenv's escapes; otherwise it is written plain", () => {
    expect(formatEnvValue("plain#value=1")).toBe("plain#value=1");
    expect(formatEnvValue(`'a\\b"`)).toBe(`'\\'a\\\\b"'`);
  });
});

describe("GIVEN key names and values typed by a person", () => {
  it("THEN UPPER_SNAKE_CASE names pass and others are refused without repeating what was typed", () => {
    expect(checkKeyName("OPENROUTER_API_KEY")).toEqual({ ok: true, value: "OPENROUTER_API_KEY" });
    for (const bad of ["openrouter_api_key", "1KEY", "A-B", "", "A B", KEY]) {
      const checked = checkKeyName(bad);
      expect(checked.ok).toBe(false);
      if (!checked.ok) {
        expect(checked.reason).toMatch(/UPPER_SNAKE_CASE/);
        if (bad !== "") expect(checked.reason).not.toContain(bad);
      }
    }
  });

  it("THEN a bad value is refused with what to do next, and the refusal never holds the value", () => {
    const cases: [string, RegExp][] = [
      ["", /empty.*blueprint key delete/],
      [`${KEY}\n${KEY}`, /one line of visible ASCII/],
      [`${KEY} tail`, /one line of visible ASCII/],
      [`${KEY}\u0007`, /one line of visible ASCII/],
      [`${KEY}${"x".repeat(5000)}`, /over 4096 characters/],
      [`${KEY}\${HOME}`, /expand/],
    ];
    for (const [value, reason] of cases) {
      const checked = checkKeyValue(value);
      expect(checked.ok).toBe(false);
      if (!checked.ok) {
        expect(checked.reason).toMatch(reason);
        expect(checked.reason).not.toContain(KEY);
      }
    }
    expect(checkKeyValue(`${KEY}\n`)).toEqual({ ok: true, value: KEY });
  });
});

describe("GIVEN a profile folder on disk", () => {
  it("WHEN a key is set in a profile without .env THEN the file is made with Hermes' header at mode 0600", async () => {
    const dir = await tempDir();
    const set = await setProfileKey(dir, "OPENROUTER_API_KEY", KEY);
    expect(set).toEqual({ ok: true, value: { key: "OPENROUTER_API_KEY", replaced: false } });
    const file = path.join(dir, ".env");
    expect(await readFile(file, "utf8")).toBe(formatEnvFile([["OPENROUTER_API_KEY", KEY]]));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("WHEN a key is set, rotated and deleted THEN the other lines stay byte for byte, the mode stays 0600 and no temp file is left", async () => {
    const dir = await tempDir();
    const file = path.join(dir, ".env");
    await writeFile(file, HAND_EDITED, { mode: 0o644 });
    expect((await setProfileKey(dir, "OPENROUTER_API_KEY", KEY)).ok).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await setProfileKey(dir, "OPENROUTER_API_KEY", ROTATED)).ok).toBe(true);
    expect(await readFile(file, "utf8")).toBe(
      HAND_EDITED.replace("# OPENROUTER_API_KEY=", `OPENROUTER_API_KEY=${ROTATED}`),
    );
    expect(await deleteProfileKey(dir, "OPENROUTER_API_KEY")).toEqual({
      ok: true,
      value: { key: "OPENROUTER_API_KEY", removed: 1 },
    });
    expect(await readFile(file, "utf8")).toBe(HAND_EDITED.replace("# OPENROUTER_API_KEY=\n", ""));
    expect(envKeys(await readFile(file, "utf8")).map(({ key }) => key)).not.toContain("OPENROUTER_API_KEY");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual([".env"]);
  });

  it("WHEN the value is refused THEN the file is untouched and the reason does not hold the value", async () => {
    const dir = await tempDir();
    const file = path.join(dir, ".env");
    await writeFile(file, HAND_EDITED, { mode: 0o600 });
    const set = await setProfileKey(dir, "OPENROUTER_API_KEY", `${KEY} ${KEY}`);
    expect(set.ok).toBe(false);
    if (!set.ok) expect(set.reason).not.toContain(KEY);
    expect(await readFile(file, "utf8")).toBe(HAND_EDITED);
  });

  it("WHEN the profile folder does not exist THEN nothing is created", async () => {
    const dir = path.join(await tempDir(), "gone");
    const set = await setProfileKey(dir, "OPENROUTER_API_KEY", KEY);
    expect(set.ok).toBe(false);
    expect((await deleteProfileKey(dir, "OPENROUTER_API_KEY")).ok).toBe(false);
    await expect(stat(dir)).rejects.toThrow();
  });

  it("WHEN .env is far larger than a .env THEN it is refused, not rewritten", async () => {
    const dir = await tempDir();
    await mkdir(dir, { recursive: true });
    const huge = `A=${"x".repeat(1024 * 1024)}\n`;
    await writeFile(path.join(dir, ".env"), huge);
    const set = await setProfileKey(dir, "OPENROUTER_API_KEY", KEY);
    expect(set.ok).toBe(false);
    if (!set.ok) expect(set.reason).toMatch(/over 1048576 bytes/);
    expect((await readFile(path.join(dir, ".env"), "utf8")).length).toBe(huge.length);
  });
});
