// Step 5: MCP servers from the catalog (multi-select), custom servers by URL or command line, then
// each secret those servers need, asked privately one at a time.
import {
  MCP_SERVER_NAME_PATTERN,
  MCP_SERVERS_MAX,
  SECRET_MAX_CHARS,
  TEXT_INPUT_MAX_CHARS,
} from "../limits.ts";
import { originLine } from "../catalog-origin.ts";
import { parseCustomTarget, specFromManifest } from "../mcp-spec.ts";
import { urlSecret } from "../url-secrets.ts";
import { afterMcp, markSkipped, missingMcpSecret } from "./flow.ts";
import type { WizardContext } from "./events.ts";
import { indexArg, move, refuse, STEP_TITLES, UNKNOWN, type Outcome, type ScreenDef } from "./kit.ts";
import type { Screen, WizardState } from "./state.ts";
import type { McpServerSpec } from "../blueprint.ts";

const TITLE = STEP_TITLES["mcp"] ?? "MCP servers";
/** Hermes keys mcp_servers by name; a long key is unreadable in config.yaml and in chat. */
const MCP_NAME_MAX_CHARS = 64;

function isCatalogServer(state: WizardState, name: string, catalogNames: readonly string[]): boolean {
  return catalogNames.includes(name) && state.draft.mcp.some((server) => server.name === name);
}

function describeCustom(server: McpServerSpec): string {
  const target = server.url ?? [server.command, ...(server.args ?? [])].join(" ");
  return `${server.name}: ${target}${server.auth === "none" ? "" : ` (auth: ${server.auth})`}`;
}

function addServer(state: WizardState, server: McpServerSpec): Outcome {
  if (state.draft.mcp.length >= MCP_SERVERS_MAX) return refuse("mcp_too_many", { max: MCP_SERVERS_MAX });
  return move(state, "mcp.list", { draft: { mcp: [...state.draft.mcp, server] }, customMcp: null });
}

const list: ScreenDef = {
  view: (state, ctx, ui) => {
    const catalogNames = ctx.catalog.mcps.map((entry) => entry.name);
    const customs = state.draft.mcp.filter((server) => !catalogNames.includes(server.name));
    return {
      title: TITLE,
      body: [
        "Pick the MCP servers this agent may use (🔑 = needs a key, asked privately next).",
        ...originLine(ctx.catalogOrigin, "mcps"),
        ...(customs.length > 0
          ? ["Custom servers:", ...customs.map((server) => `  ${describeCustom(server)}`)]
          : []),
      ],
      choices: ui.list(
        "multi",
        ctx.catalog.mcps.map((entry) => ({
          label: `${entry.name}${entry.auth.type === "api_key" ? " 🔑" : ""}`,
          description: entry.description,
          selected: isCatalogServer(state, entry.name, catalogNames),
        })),
      ),
      buttons: [
        [
          ui.button("Add custom…", "custom"),
          ...(customs.length > 0 ? [ui.button("Remove customs", "clear")] : []),
        ],
        [ui.button("Next ▶", "next", undefined, "primary")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: (state) => (state.returnToReview ? "review" : "tools.pick"),
  press: (state, action, arg, ctx) => {
    const catalogNames = ctx.catalog.mcps.map((entry) => entry.name);
    switch (action) {
      case "next":
        return move(state, afterMcp(state, ctx.catalog));
      case "custom":
        return move(state, "mcp.custom_name", { customMcp: null });
      case "clear":
        return move(state, "mcp.list", {
          draft: { mcp: state.draft.mcp.filter((server) => catalogNames.includes(server.name)) },
        });
      case "toggle": {
        const index = indexArg(arg, ctx.catalog.mcps.length);
        const manifest = index === undefined ? undefined : ctx.catalog.mcps[index];
        if (!manifest) return UNKNOWN;
        if (state.draft.mcp.some((server) => server.name === manifest.name)) {
          return move(state, "mcp.list", {
            draft: { mcp: state.draft.mcp.filter((server) => server.name !== manifest.name) },
          });
        }
        return addServer(state, specFromManifest(manifest));
      }
      default:
        return UNKNOWN;
    }
  },
};

const customName: ScreenDef = {
  view: (_state, _ctx, ui) => ({
    title: `${TITLE} · custom`,
    body: ["Name the custom MCP server (letters, digits, '-' and '_'), e.g. docs."],
    input: {
      kind: "text",
      prompt: "Server name",
      maxLength: MCP_NAME_MAX_CHARS,
      form: [
        {
          key: "name",
          label: "Server name",
          maxLength: MCP_NAME_MAX_CHARS,
          required: true,
          placeholder: "docs",
        },
        {
          key: "target",
          label: "URL or command line",
          maxLength: TEXT_INPUT_MAX_CHARS,
          required: true,
          placeholder: "https://mcp.example.com/mcp or npx -y @scope/server",
        },
      ],
    },
    buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
  }),
  back: () => "mcp.list",
  text: (state, text, ctx) => {
    const name = checkCustomName(state, text, ctx);
    return typeof name === "string" ? move(state, "mcp.custom_target", { customMcp: { name } }) : name;
  },
  // Name and target in one form: the same checks as the two screens, in order.
  form: (state, values, ctx) => {
    const name = checkCustomName(state, values["name"] ?? "", ctx);
    return typeof name === "string" ? targetAnswer(state, name, values["target"] ?? "") : name;
  },
};

function checkCustomName(state: WizardState, text: string, ctx: WizardContext): string | Outcome {
  const name = text.trim();
  if (!MCP_SERVER_NAME_PATTERN.test(name)) return refuse("mcp_name_invalid");
  const taken = [
    ...state.draft.mcp.map((server) => server.name),
    ...ctx.catalog.mcps.map((entry) => entry.name),
  ];
  if (taken.includes(name)) return refuse("mcp_name_duplicate", { name });
  return name;
}

function targetAnswer(state: WizardState, name: string, text: string): Outcome {
  const target = parseCustomTarget(text);
  if (!target) return refuse("mcp_target_invalid");
  const secret = target.kind === "url" ? urlSecret(target.url) : undefined;
  if (secret) return refuse("url_secret", { what: secret });
  if (target.kind === "url") return move(state, "mcp.custom_auth", { customMcp: { name, url: target.url } });
  return addServer(state, { name, command: target.command, args: target.args, auth: "none" });
}

const customTarget: ScreenDef = {
  view: (state, _ctx, ui) => ({
    title: `${TITLE} · custom`,
    body: [
      `Where is '${state.customMcp?.name ?? ""}'? Send an http(s) URL for an HTTP server,`,
      "or the command line that starts a local (stdio) server, e.g. npx -y @scope/server.",
    ],
    input: { kind: "text", prompt: "URL or command line", maxLength: TEXT_INPUT_MAX_CHARS },
    buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
  }),
  back: () => "mcp.custom_name",
  text: (state, text) => {
    const name = state.customMcp?.name;
    return name ? targetAnswer(state, name, text) : move(state, "mcp.custom_name");
  },
};

const AUTH_CHOICES = ["none", "api_key", "oauth"] as const;

const customAuth: ScreenDef = {
  view: (state, _ctx, ui) => ({
    title: `${TITLE} · custom`,
    body: [`How does '${state.customMcp?.name ?? ""}' authenticate?`],
    choices: ui.list("single", [
      { label: "No auth", selected: false },
      { label: "API key (bearer token, asked privately)", selected: false },
      { label: "OAuth (log in later with Hermes)", selected: false },
    ]),
    buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
  }),
  back: () => "mcp.custom_target",
  press: (state, action, arg) => {
    const index = action === "pick" ? indexArg(arg, AUTH_CHOICES.length) : undefined;
    const auth = index === undefined ? undefined : AUTH_CHOICES[index];
    const { name, url } = state.customMcp ?? {};
    if (!auth || !name || !url) return UNKNOWN;
    return addServer(state, { name, url, auth });
  },
};

const secret: ScreenDef = {
  view: (state, ctx, ui) => {
    const { env = "", prompt = "", default: fallback } = missingMcpSecret(state, ctx.catalog) ?? {};
    return {
      title: `${TITLE} · keys`,
      body: [
        `Send the ${prompt}. It is written only to the profile's .env as ${env}.`,
        ...(fallback
          ? [`Not a secret; without an answer the catalog's default is written: ${fallback}`]
          : []),
      ],
      input: { kind: "secret", prompt: env, maxLength: SECRET_MAX_CHARS },
      buttons: [
        [ui.button(fallback ? "Use the default" : "Skip (leave empty)", "skip")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "mcp.list",
  press: (state, action, _arg, ctx) => {
    const env = missingMcpSecret(state, ctx.catalog)?.env;
    if (action !== "skip" || env === undefined) return UNKNOWN;
    const next = { ...state, secrets: markSkipped(state, env) };
    return move(next, afterMcp(next, ctx.catalog));
  },
  text: () => refuse("input_unexpected"),
};

export const mcpScreens = {
  "mcp.list": list,
  "mcp.custom_name": customName,
  "mcp.custom_target": customTarget,
  "mcp.custom_auth": customAuth,
  "mcp.secret": secret,
} satisfies Partial<Record<Screen, ScreenDef>>;
