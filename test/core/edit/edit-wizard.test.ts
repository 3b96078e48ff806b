import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentProfile } from "../../../src/core/edit/current-profile.ts";
import { draftChanges } from "../../../src/core/edit/draft-changes.ts";
import { draftFromProfile } from "../../../src/core/edit/profile-draft.ts";
import type { EditSession, WizardContext } from "../../../src/core/wizard/index.ts";
import { shippedContext } from "../../helpers/catalog.ts";
import { ALICE, MALLORY, WizardDriver } from "../../helpers/wizard-driver.ts";

let ctx: WizardContext;
beforeAll(async () => {
  const base = await shippedContext(["team-bot"]);
  ctx = {
    ...base,
    catalog: {
      ...base.catalog,
      personas: [
        {
          id: "engineering-security-engineer",
          name: "Security Engineer",
          category: "engineering",
          description: "d",
          defaultModel: "openrouter/anthropic/claude-sonnet-4",
          suggestedMcps: [],
          suggestedToolsets: [],
          aliases: [],
        },
      ],
    },
  };
});

/** A profile as the editor reads it: made by the bot, then touched by hand. */
function teamBot(): CurrentProfile {
  return {
    config: {
      model: { provider: "openrouter", default: "anthropic/claude-sonnet-4" },
      mcp_servers: {
        docs: {
          url: "https://mcp.example.com/mcp",
          headers: { Authorization: "Bearer ${MCP_DOCS_API_KEY}" },
        },
        github: {
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-github"],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}" },
          tools: { include: ["search_issues"] },
        },
        odd: { url: "https://user:pw@odd.example/mcp" },
      },
      skills: { disabled: ["git-workflow", "old-hub"] },
      display: { personality: "engineering-security-engineer" },
    },
    meta: { description: "Reviews code", display_name: "Team Bot" },
    soul: "You are Team Bot.",
    hubInstalls: [
      { name: "password-audit", identifier: "official/security/password-audit", source: "official" },
      { name: "docker-debug", identifier: "official/devops/docker-debug", source: "official" },
      { name: "old-hub", identifier: "someone/skills/old-hub", source: "github" },
      { name: "shared", identifier: "skills-sh/owner/repo/shared", source: "skills.sh" },
    ],
    builtinsPresent: undefined,
  };
}

function session(): EditSession {
  const prefilled = draftFromProfile("team-bot", teamBot(), ctx.catalog);
  return {
    profile: "team-bot",
    fingerprint: "config=abc",
    original: prefilled.draft,
    keysSet: ["OPENROUTER_API_KEY", "GITHUB_TOKEN"],
    keptServers: prefilled.keptServers,
    notes: prefilled.notes,
  };
}

describe("GIVEN a profile read into the editor", () => {
  it("THEN the draft is the profile as Hermes reads it, and what the wizard cannot show is kept and named", () => {
    const { draft, keptServers, notes } = draftFromProfile("team-bot", teamBot(), ctx.catalog);
    expect(draft).toMatchObject({
      name: "team-bot",
      display_name: "Team Bot",
      description: "Reviews code",
      provider: "openrouter",
      model: "anthropic/claude-sonnet-4",
      noBuiltins: false,
      persona: { id: "engineering-security-engineer", mode: "overlay" },
    });
    expect(draft.builtinOff).toEqual(["software-development/git-workflow"]);
    expect(draft.optional).toEqual(["devops/docker-debug"]);
    // password-audit is an official hub install that is not one of the library's optional skills.
    expect(draft.hub).toEqual(["official/security/password-audit", "skills-sh/owner/repo/shared"]);
    expect(draft.mcp).toEqual([
      { name: "docs", url: "https://mcp.example.com/mcp", auth: "api_key" },
      {
        name: "github",
        command: "npx",
        args: ["-y", "@modelcontextprotocol/server-github"],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}" },
        auth: "none",
        tools: { include: ["search_issues"] },
      },
    ]);
    expect(keptServers).toEqual(["odd"]);
    expect(notes.join("\n")).toContain("MCP server 'odd' is not one the wizard can show");
  });

  it("WHEN the draft is left as read THEN there is no change and no blueprint key to match", () => {
    const { original } = session();
    expect(draftChanges(original, original)).toEqual({ changes: [], keys: [] });
  });

  it("WHEN Ollama's server is the base URL THEN the provider is Ollama, not any custom server", () => {
    const current = {
      ...teamBot(),
      config: { model: { provider: "custom", default: "llama3.2", base_url: "http://127.0.0.1:11434/v1" } },
    };
    expect(draftFromProfile("x", current, ctx.catalog).draft).toMatchObject({
      provider: "ollama",
      model: "llama3.2",
      base_url: "http://127.0.0.1:11434/v1",
    });
  });
});

describe("GIVEN the edit wizard", () => {
  it("THEN it opens on its Review with no change and no Apply, and naming or cloning is out of reach", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    expect(driver.state.step).toBe("edit.review");
    expect(driver.view.title).toBe("Edit profile 'team-bot'");
    expect(driver.view.body[0]).toContain("No changes yet");
    expect(driver.tokens().map((t) => t.label)).not.toContain("✓ Apply");
    driver.press("Edit identity");
    // Create's step count means nothing in an edit: the screen names the profile instead.
    expect(driver.view.title).toBe("Edit 'team-bot' · Identity");
    expect(driver.tokens().map((t) => t.label)).not.toContain("Rename");
    expect(driver.tokens().map((t) => t.label)).not.toContain("Clone from…");
    driver.press("Next ▶");
    expect(driver.state.step).toBe("edit.review");
  });

  it("WHEN the model and a server change THEN Review lists them and Apply asks for only those keys", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("Edit model");
    driver.press("Anthropic");
    driver.press("claude-sonnet-4-20250514");
    // The Anthropic key is not in .env yet: it is asked, as in Create.
    expect(driver.state.step).toBe("model.api_key");
    driver.secret("ANTHROPIC_API_KEY");
    expect(driver.state.step).toBe("edit.review");
    driver.press("Edit MCP");
    driver.press("Remove customs");
    expect(driver.view.body.join("\n")).toBeDefined();
    driver.press("github");
    driver.press("Next ▶");
    expect(driver.state.step).toBe("edit.review");
    const body = driver.view.body.join("\n");
    expect(body).toContain(
      "~ model changed: openrouter/anthropic/claude-sonnet-4 → anthropic/claude-sonnet-4-20250514",
    );
    expect(body).toContain("- MCP server 'github' removed");
    expect(body).toContain("+ key ANTHROPIC_API_KEY added: set");
    expect(body).toContain("MCP server 'odd' is not one the wizard can show");
    driver.press("✓ Apply");
    expect(driver.state.step).toBe("applying");
    const applyEffect = driver.effects.find((effect) => effect.type === "applyEdit");
    expect(applyEffect).toMatchObject({
      type: "applyEdit",
      profile: "team-bot",
      fingerprint: "config=abc",
      keptServers: ["odd"],
    });
    expect(applyEffect && "keys" in applyEffect ? [...applyEffect.keys].sort() : []).toEqual([
      "mcp_servers",
      "model",
    ]);
  });

  it("WHEN Apply ends THEN the last screen says so, the added hub skills start installing by the profile's ref, and the wizard ends", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("Edit persona");
    driver.press("No persona");
    driver.press("✓ Apply");
    driver.send({
      type: "editFinished",
      ok: true,
      lines: ["Applied."],
      installs: ["official/x/y"],
      at: driver.clock + 1,
    });
    expect(driver.view.title).toBe("Profile updated");
    expect(driver.effects).toEqual(
      expect.arrayContaining([
        { type: "startInstalls", profile: "team-bot", identifiers: ["official/x/y"] },
        { type: "end", outcome: "edited" },
      ]),
    );
  });

  it("WHEN Apply is refused THEN the screen says the profile was not changed and nothing is installed", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("Edit persona");
    driver.press("No persona");
    driver.press("✓ Apply");
    driver.send({
      type: "editFinished",
      ok: false,
      lines: ["Not applied: changed."],
      installs: ["a/b/c"],
      at: driver.clock + 1,
    });
    expect(driver.view.title).toBe("Profile not changed");
    expect(driver.effects.some((effect) => effect.type === "startInstalls")).toBe(false);
  });

  it("WHEN the bot restarts while applying THEN it does not apply again and says how to check", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("Edit persona");
    driver.press("No persona");
    driver.press("✓ Apply");
    driver.send({ type: "restored", at: driver.clock + 1 });
    expect(driver.state.step).toBe("done");
    expect(driver.view.body.join("\n")).toContain("restarted while applying");
    expect(driver.effects.some((effect) => effect.type === "applyEdit")).toBe(false);
  });

  it("WHEN a key is replaced and another deleted on Edit keys THEN Review lists both and Apply carries the deletion", () => {
    const driver = new WizardDriver(ctx, ALICE, {
      ...session(),
      keys: [
        { key: "OPENROUTER_API_KEY", set: true, why: "provider openrouter" },
        { key: "GITHUB_TOKEN", set: true, why: "MCP server github" },
        { key: "OLD_KEY", set: false, why: "" },
      ],
    });
    driver.press("Edit keys");
    expect(driver.view.choices?.items.map((item) => item.label)).toEqual([
      "OPENROUTER_API_KEY: set — provider openrouter",
      "GITHUB_TOKEN: set — MCP server github",
      "OLD_KEY: not set — nothing in the profile asks for it",
    ]);
    driver.press("OPENROUTER_API_KEY");
    expect(driver.view.input?.kind).toBe("secret");
    driver.secret("OPENROUTER_API_KEY");
    expect(driver.state.step).toBe("edit.keys");
    driver.press("GITHUB_TOKEN");
    driver.press("Delete GITHUB_TOKEN");
    driver.press("OLD_KEY");
    // A key not set cannot be deleted: only a value is asked.
    expect(driver.tokens().map((t) => t.label)).not.toContain("Delete OLD_KEY");
    driver.press("◀ Back");
    driver.press("◀ Back");
    const body = driver.view.body.join("\n");
    expect(body).toContain("~ key OPENROUTER_API_KEY changed: replaced");
    expect(body).toContain("- key GITHUB_TOKEN removed: deleted from .env");
    driver.press("✓ Apply");
    expect(driver.effects.find((effect) => effect.type === "applyEdit")).toMatchObject({
      keys: [],
      deleteKeys: ["GITHUB_TOKEN"],
    });
  });

  it("WHEN Edit keys is opened THEN the keys are read then, not with the editor, and shown once read", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("Edit keys");
    expect(driver.state.step).toBe("edit.keys");
    expect(driver.view.body.join("\n")).toContain("Reading which keys");
    expect(driver.effect("listKeys")).toEqual({ type: "listKeys", profile: "team-bot" });
    driver.send({
      type: "keysListed",
      keys: [{ key: "OPENROUTER_API_KEY", set: true, why: "provider openrouter" }],
      at: driver.clock + 1,
    });
    expect(driver.view.choices?.items.map((item) => item.label)).toEqual([
      "OPENROUTER_API_KEY: set — provider openrouter",
    ]);
    // Read once: Back and Edit keys again show the same list without reading again.
    driver.press("◀ Back");
    driver.press("Edit keys");
    expect(driver.effect("listKeys")).toBeUndefined();
    expect(driver.view.choices?.items).toHaveLength(1);
  });

  it("WHEN the keys cannot be read THEN Review says why and Edit keys tries again", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("Edit keys");
    driver.send({
      type: "keysListed",
      keys: [],
      failure: "Hermes at h1 did not answer",
      at: driver.clock + 1,
    });
    expect(driver.state.step).toBe("edit.review");
    expect(driver.view.notice?.text).toContain("keys could not be read: Hermes at h1 did not answer");
    driver.press("Edit keys");
    expect(driver.effect("listKeys")).toBeDefined();
  });

  it("WHEN its owner goes back before the keys are read THEN they are kept for the next Edit keys, and a restart reads them again", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("Edit keys");
    driver.press("◀ Back");
    const onReview = driver.send({
      type: "keysListed",
      keys: [{ key: "GITHUB_TOKEN", set: false, why: "MCP server github" }],
      at: driver.clock + 1,
    });
    expect(onReview.effects).toEqual([]);
    expect(driver.state.step).toBe("edit.review");
    driver.send({ type: "show", at: driver.clock + 1 });
    driver.press("Edit keys");
    expect(driver.effect("listKeys")).toBeUndefined();
    expect(driver.view.choices?.items.map((item) => item.label)).toEqual([
      "GITHUB_TOKEN: not set — MCP server github",
    ]);

    const restarted = new WizardDriver(ctx, ALICE, session());
    restarted.press("Edit keys");
    restarted.send({ type: "restored", at: restarted.clock + 1 });
    expect(restarted.effect("listKeys")).toEqual({ type: "listKeys", profile: "team-bot" });
  });

  it("WHEN someone else presses its buttons THEN nothing changes", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    const before = driver.state;
    driver.press("Edit model", MALLORY);
    expect(driver.state).toBe(before);
  });

  it("WHEN it is cancelled THEN it says nothing was changed and how to open it again", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("✖ Cancel");
    expect(driver.view.body).toEqual([
      "Nothing was changed. Open the editor again with /profile edit team-bot.",
    ]);
  });
});

describe("GIVEN an edit in Apply, handed over to the replica holding its keys", () => {
  it("WHEN the handover is stepped THEN the same Apply is asked for as the press asked for, and the session is not changed", () => {
    const driver = new WizardDriver(ctx, ALICE, session());
    driver.press("Edit model");
    driver.press("Anthropic");
    driver.press("claude-sonnet-4-20250514");
    driver.secret("ANTHROPIC_API_KEY");
    expect(driver.state.step).toBe("edit.review");
    driver.press("✓ Apply");
    expect(driver.state.step).toBe("applying");
    const pressed = driver.effect("applyEdit");
    expect(pressed).toBeDefined();
    const before = driver.state;
    const handed = driver.send({ type: "handedOver", at: 99_000 });
    expect(handed.state).toBe(before);
    expect(handed.effects).toEqual([pressed]);
  });
});
