import { describe, expect, it } from "vitest";
import {
  isRecordOf,
  isRecordOrNameOf,
  judgeRecords,
  skillNameOf,
  type InstallRecord,
} from "../../../src/core/install/install-record.ts";

/** Entries as the real Hermes 0.19 wrote them for these requests (see HERMES-COMPAT.md). */
const HERMES_WROTE: readonly [string, InstallRecord][] = [
  [
    "official/security/password-audit",
    { name: "password-audit", identifier: "official/security/password-audit", source: "official" },
  ],
  [
    "official/arxiv-digest",
    { name: "arxiv-digest", identifier: "official/research/arxiv-digest", source: "official" },
  ],
  [
    "someone/repo/docker-debug",
    { name: "docker-debug", identifier: "official/devops/docker-debug", source: "official" },
  ],
  [
    "skills.sh/owner/repo/release-notes",
    { name: "release-notes", identifier: "official/writing/release-notes", source: "official" },
  ],
  [
    "acme/agent-skills/changelog",
    { name: "changelog", identifier: "acme/agent-skills/changelog", source: "github" },
  ],
  // Online, Hermes' skills.sh source answers before its GitHub source for any GitHub path.
  [
    "acme/agent-skills/changelog",
    { name: "changelog", identifier: "skills-sh/acme/agent-skills/changelog", source: "skills.sh" },
  ],
  [
    "skills-sh/owner/repo/tool",
    { name: "tool", identifier: "skills-sh/owner/repo/tool", source: "skills.sh" },
  ],
  [
    "skills.sh/owner/repo/tool",
    { name: "tool", identifier: "skills-sh/owner/repo/tool", source: "skills.sh" },
  ],
  [
    "well-known:http://127.0.0.1:18765/.well-known/skills/index.json#wk-skill",
    {
      name: "wk-skill",
      identifier: "well-known:http://127.0.0.1:18765/.well-known/skills/wk-skill",
      source: "well-known",
    },
  ],
  [
    "well-known:https://example.com/.well-known/skills/wk-skill/SKILL.md",
    {
      name: "wk-skill",
      identifier: "well-known:https://example.com/.well-known/skills/wk-skill",
      source: "well-known",
    },
  ],
  [
    "http://127.0.0.1:18765/plain/SKILL.md",
    { name: "url-skill", identifier: "http://127.0.0.1:18765/plain/SKILL.md", source: "url" },
  ],
];

describe("GIVEN the lock.json entries Hermes writes", () => {
  it.each(HERMES_WROTE)(
    "WHEN %s was requested THEN its entry is recognised as that install",
    (requested, record) => {
      expect(isRecordOf(requested, record)).toBe(true);
    },
  );

  it.each([
    [
      "official/security/password-audit",
      { name: "real-one", identifier: "acme/agent-skills/real-one", source: "github" },
    ],
    [
      "acme/agent-skills/changelog",
      { name: "changelog", identifier: "other/repo/changelog", source: "github" },
    ],
    [
      "skills-sh/owner/repo/tool",
      { name: "tool", identifier: "skills-sh/owner/other/tool", source: "skills.sh" },
    ],
    [
      "official/security/password-audit",
      { name: "x", identifier: "official/security/other-skill", source: "official" },
    ],
    [
      "acme/agent-skills/changelog",
      { name: "changelog", identifier: "skills-sh/other/repo/changelog", source: "skills.sh" },
    ],
  ] as const)("WHEN %s was requested THEN an entry of another identifier is not it", (requested, record) => {
    expect(isRecordOf(requested, record)).toBe(false);
  });
});

describe("GIVEN the record before and after a run", () => {
  const id = "acme/agent-skills/changelog";
  const entry = (version: string): InstallRecord => ({
    name: "changelog",
    identifier: id,
    source: "github",
    version,
  });
  const other: InstallRecord = {
    name: "real-one",
    identifier: "acme/agent-skills/real-one",
    source: "github",
    version: "1",
  };

  it("WHEN the entry for the identifier appeared THEN it was installed", () => {
    expect(judgeRecords(id, "changelog", { before: [other], after: [other, entry("1")] }).kind).toBe(
      "installed",
    );
  });

  it("WHEN the entry changed (time or hash) THEN it was installed", () => {
    expect(judgeRecords(id, "changelog", { before: [entry("1")], after: [entry("2")] }).kind).toBe(
      "installed",
    );
  });

  it("WHEN the entry was there and did not change THEN it is unchanged", () => {
    expect(judgeRecords(id, "changelog", { before: [entry("1")], after: [entry("1")] }).kind).toBe(
      "unchanged",
    );
  });

  it("WHEN only another skill is recorded, whatever name the installer reported THEN nothing was installed", () => {
    expect(judgeRecords(id, "real-one", { before: [other], after: [other] }).kind).toBe("absent");
  });

  it("WHEN the records carry names only (a host's list) THEN the reported name must have appeared", () => {
    expect(
      judgeRecords(id, "new-one", {
        before: [{ name: "real-one" }],
        after: [{ name: "real-one" }, { name: "new-one" }],
      }).kind,
    ).toBe("installed");
    expect(
      judgeRecords(id, "real-one", { before: [{ name: "real-one" }], after: [{ name: "real-one" }] }).kind,
    ).toBe("unchanged");
    expect(judgeRecords(id, undefined, { before: [], after: [{ name: "real-one" }] }).kind).toBe("absent");
  });

  it("WHEN the record could not be read before THEN an entry for the identifier after counts as installed", () => {
    expect(judgeRecords(id, "changelog", { before: undefined, after: [entry("1")] }).kind).toBe("installed");
  });
});

describe("GIVEN a record that has a name only (a Hermes host lists hub skills by name)", () => {
  it("WHEN an identifier is matched against it THEN the name the identifier installs as decides", () => {
    expect(skillNameOf("official/security/password-audit")).toBe("password-audit");
    expect(skillNameOf("well-known:https://example.com/.well-known/skills/index.json#pdf")).toBe("pdf");
    expect(skillNameOf("https://example.com/skills/csv-tools/SKILL.md")).toBe("csv-tools");
    expect(isRecordOrNameOf("owner/repo/skills/pdf", { name: "pdf" })).toBe(true);
    expect(isRecordOrNameOf("owner/repo/skills/pdf", { name: "pdf-tools" })).toBe(false);
    // A record with an identifier is still matched by identity, never by name.
    expect(
      isRecordOrNameOf("owner/repo/skills/pdf", {
        name: "pdf",
        identifier: "other/repo/pdf",
        source: "github",
      }),
    ).toBe(false);
  });
});
