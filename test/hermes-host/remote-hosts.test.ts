// One console bot (`npm start`, piped) with two real Hermes hosts by name (HERMES_HOSTS): a chat
// binds to a host, its wizard creates there (and the other host never sees the profile), installs
// run there, persona commands and deletion follow the `<host>:<profile>` ref, every reply names the
// host, and a name typed without a host means the first one.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { REPO_ROOT, runCli, startCli, waitForOutput } from "../helpers/cli.ts";
import { hermesOk, personality, profileList, skillsList } from "../helpers/hermes.ts";
import { useRemoteHermes, type RemoteHermes } from "../helpers/remote-hermes.ts";
import { GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { DiscordTester } from "../helpers/discord-bot.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget } from "../conformance/judge.ts";
import { discordWizardToReview } from "../conformance/wizard-scripts.ts";
import { consoleWizard, piped } from "../helpers/console-wizard.ts";

const bots = useBots();
const tempDir = bots.tempDir;
const box = useRemoteHermes("remote-hosts-box-token-7a1c");
const lab = useRemoteHermes("remote-hosts-lab-token-2b9d");
const KEY = "sk-or-remote-hosts-1";
const ALICE: FakeUser = { id: "150000000000000099", username: "alice" };

function hostsEnv(data: string, hosts: { box: RemoteHermes; lab: RemoteHermes }): Record<string, string> {
  return {
    DATA_DIR: data,
    HOME: path.join(data, "user-home"),
    HERMES_HOSTS: `box=${hosts.box.url},lab=${hosts.lab.url}`,
    HERMES_TOKEN_BOX: hosts.box.token,
    HERMES_TOKEN_LAB: hosts.lab.token,
  };
}

describe("GIVEN a console bot with two Hermes hosts, box and lab", () => {
  it("WHEN a chat binds to lab and creates THEN lab's Hermes has the profile (box's does not), with its install and persona, and every reply names lab", async () => {
    const data = await tempDir();
    const env = hostsEnv(data, { box: box(), lab: lab() });
    const result = await runCli(["start"], {
      input: piped([
        "/profile list",
        "/profile use lab:default",
        ...consoleWizard({
          name: "multi",
          provider: "OpenRouter",
          model: "1",
          key: KEY,
          hub: "official/security/password-audit",
        }),
      ]),
      env,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No profiles yet on box, lab.");
    expect(result.stdout).toContain("This chat now works with profile 'lab:default'.");
    expect(result.stdout).toContain("Created by Hermes on lab through its dashboard.");
    expect(result.stdout).toContain("Profile 'multi' created on lab.");
    expect(result.stdout).toContain("✓ official/security/password-audit: installed");
    expect(await profileList(lab().home)).toContain("multi");
    expect(await profileList(box().home)).not.toContain("multi");
    expect((await skillsList(lab().home, "multi")).map((skill) => skill.name)).toContain("password-audit");
    for (const secret of [KEY, box().token, lab().token]) expect(result.stdout).not.toContain(secret);

    const commands = await runCli(["start"], {
      input: [
        "/profile list",
        "/profile show lab:multi",
        "/profile show multi",
        "/profile show moon:multi",
        "/profile use lab:multi",
        "/persona apply research-analyst",
        "",
      ].join("\n"),
      env,
    });
    expect(commands.stdout).toContain("1 profile(s) on box, lab:\n• lab:multi — openrouter/");
    expect(commands.stdout).toContain("Profile 'multi' on lab");
    expect(commands.stdout).toContain("There is no profile 'multi' on box.");
    expect(commands.stdout).toContain(
      "There is no Hermes host 'moon'. Hosts: box, lab (write <host>:<profile>).",
    );
    expect(commands.stdout).toContain("to profile 'multi' on lab (bound to this chat).");
    const body = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library.get(
      "research-analyst",
    )?.body;
    const resolved = await personality(lab().home, path.join(lab().home, "profiles/multi"));
    expect(resolved).toMatchObject({ active: "research-analyst", startupPrompt: body });

    const deleting = startCli(["start"], env);
    deleting.child.stdin.write("/profile delete lab:multi\n");
    await waitForOutput(deleting, "Delete multi");
    deleting.child.stdin.write("Delete multi\n");
    await waitForOutput(deleting, "Deleted profile 'multi' on lab.");
    deleting.child.stdin.end();
    expect(await deleting.closed).toBe(0);
    expect(await profileList(lab().home)).not.toContain("multi");
  }, 180_000);

  it("WHEN one host is down THEN the list shows the other's profiles and names the one it could not reach", async () => {
    const data = await tempDir();
    const env = { ...hostsEnv(data, { box: box(), lab: lab() }), HERMES_TOKEN_LAB: "remote-hosts-wrong-lab" };
    await hermesOk(box().home, ["profile", "create", "on-box", "--no-alias"]);
    const result = await runCli(["start"], { input: "/profile list\n", env });
    expect(result.stdout).toContain("1 profile(s) on box, lab:\n• box:on-box — model not set");
    expect(result.stdout).toContain("(not listed — lab: Hermes at ");
    expect(result.stdout).toContain("refused the token (401)");
  }, 60_000);
});

describe("GIVEN `create --from` with two Hermes hosts", () => {
  it("WHEN --host names lab THEN lab's Hermes makes the profile and installs its hub skill; without --host the first host does; an unknown host is refused", async () => {
    const data = await tempDir();
    const env = hostsEnv(data, { box: box(), lab: lab() });
    const file = path.join(data, "from-file.yaml");
    await writeFile(file, "name: from-file\nskills: { hub: [official/security/password-audit] }\n");
    const onLab = await runCli(["create", "--from", file, "--host", "lab"], { env });
    expect(onLab.code).toBe(0);
    expect(JSON.parse(onLab.stdout)).toMatchObject({
      ok: true,
      name: "from-file",
      host: "lab",
      hubInstalls: [{ identifier: "official/security/password-audit", status: "done" }],
    });
    expect(await profileList(lab().home)).toContain("from-file");
    expect(await profileList(box().home)).not.toContain("from-file");
    expect((await skillsList(lab().home, "from-file")).map((skill) => skill.name)).toContain(
      "password-audit",
    );

    const onFirst = await runCli(["create", "--from", file], { env });
    expect(JSON.parse(onFirst.stdout)).toMatchObject({ ok: true, host: "box" });
    expect(await profileList(box().home)).toContain("from-file");

    // apply --from edits the same way: --host picks the host, none means the first (box).
    const edit = path.join(data, "edit.yaml");
    await writeFile(edit, "name: from-file\ndescription: Edited on lab\n");
    const appliedLab = await runCli(["apply", "--from", edit, "--host", "lab"], { env });
    expect(appliedLab.code, appliedLab.stderr).toBe(0);
    expect(appliedLab.stdout).toContain("Applied to profile 'from-file' on lab");
    await writeFile(edit, "name: from-file\ndescription: Edited on box\n");
    const appliedFirst = await runCli(["apply", "--from", edit], { env });
    expect(appliedFirst.code, appliedFirst.stderr).toBe(0);
    expect(appliedFirst.stdout).toContain("Applied to profile 'from-file' on box");
    const described = async (home: string) =>
      (await readFile(path.join(home, "profiles/from-file/profile.yaml"), "utf8")).match(
        /description: (.*)/,
      )?.[1];
    expect(await described(lab().home)).toBe("Edited on lab");
    expect(await described(box().home)).toBe("Edited on box");

    const unknown = await runCli(["create", "--from", file, "--host", "moon"], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--host: There is no Hermes host 'moon'. Hosts: box, lab");
    const single = await runCli(["create", "--from", file, "--host", "lab"], { env: { DATA_DIR: data } });
    expect(single.code).toBe(2);
    expect(single.stderr).toContain(
      "--host: it picks one of several targets; set HERMES_HOSTS (or COMMONGROUND_URL beside this Hermes) first",
    );
  }, 120_000);
});

describe("GIVEN a Discord bot with two Hermes hosts, box and lab", () => {
  it("WHEN a team channel binds to lab and its wizard creates THEN lab's Hermes made the profile as chosen (the judge reads lab's home), box has none, and the channel's persona status reads lab", async () => {
    const data = await tempDir();
    const official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
    const { fake } = await bots.discord({
      data,
      allowedUsers: [ALICE.id],
      progressMinIntervalMs: 200,
      env: hostsEnv(data, { box: box(), lab: lab() }),
    });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    const bound = fake.original(await alice.command("profile use", { name: "lab:default" }));
    expect(bound?.content).toContain("This chat now works with profile 'lab:default'.");
    await discordWizardToReview(fake, alice, "hosts-discord", "sk-or-hosts-discord-1", "ghp-hosts-discord-2");
    expect(alice.message.content).toContain("Created by Hermes on lab through its dashboard.");
    await alice.press("✓ Create");
    await fake.until(() => !alice.message.content.includes("Creating profile"), 30_000, "the create");
    expect(alice.message.content).toContain("Profile 'hosts-discord' created on lab.");
    await fake.until(
      () =>
        [...fake.messages.values()].some((message) =>
          message.content.includes("Finished: 2 installed, 0 not."),
        ),
      60_000,
      "the install status to finish",
    );
    await expectHermesAgrees(lab().home, wizardTarget("hosts-discord"), official);
    expect(await profileList(box().home)).not.toContain("hosts-discord");
    const rebound = fake.original(await alice.command("profile use", { name: "lab:hosts-discord" }));
    expect(rebound?.content).toContain("'lab:hosts-discord'");
    const status = fake.original(await alice.command("persona status"));
    expect(status?.content).toContain(
      "Profile 'hosts-discord' on lab: active persona engineering-security-engineer.",
    );
    expect(fake.violations).toEqual([]);
    for (const secret of [box().token, lab().token]) expect(fake.transcript()).not.toContain(secret);
  }, 240_000);
});
