// Step 4 of a Create in a CommonGround project: what a CommonGround profile needs and a Hermes one
// has no place for: the worker that runs it, its tags, the project's profiles it may delegate to,
// and the tools a turn must end with. Every answer follows the blueprint's `commonground:` rules
// (cg-section.ts), so a value the wizard takes is one the blueprint check and the export take too.
import { findProvider } from "../catalog.ts";
import { CG_LIST_MAX, CG_TEXT_MAX_CHARS, cgText } from "../commonground/cg-section.ts";
import { toLiteLlm } from "../commonground/litellm-model.ts";
import { TEXT_INPUT_MAX_CHARS } from "../limits.ts";
import { isLoopbackUrl } from "../loopback-url.ts";
import type { CommonGroundTarget, WizardContext } from "./events.ts";
import {
  COMMONGROUND_TITLE,
  field,
  indexArg,
  move,
  toggled,
  UNKNOWN,
  type Outcome,
  type ScreenDef,
} from "./kit.ts";
import { soulSummary } from "./soul-screen.ts";
import type { CommonGroundDraft, Screen, WizardState } from "./state.ts";

/** Labels are cut here: a project's names may be up to 200 characters, buttons and menus hold fewer. */
const LABEL_MAX_CHARS = 60;

/**
 * The project's profile a name would collide with, in any letter case: CommonGround's names are not
 * Hermes' lower-case ones, and a second profile differing only in case would be a trap either way.
 */
export function commonGroundClash(profileName: string, target: CommonGroundTarget): string | undefined {
  const wanted = profileName.toLowerCase();
  return target.profiles.find((existing) => existing.toLowerCase() === wanted);
}

export function clashText(existing: string): string {
  return `A profile named '${shown(existing)}' already exists in the project (CommonGround would overwrite it or make a second one); pick another name.`;
}

/**
 * A name from the project (it came from the server, not from a rule of ours) as a label: control
 * and invisible characters shown as '?', cut to what a button holds.
 */
function shown(text: string): string {
  const visible = text.replace(/\p{C}/gu, "?");
  return visible.length > LABEL_MAX_CHARS ? `${visible.slice(0, LABEL_MAX_CHARS)}…` : visible;
}

function target(ctx: WizardContext): CommonGroundTarget | undefined {
  return ctx.commonground;
}

function cgDraft(state: WizardState): CommonGroundDraft {
  return state.draft.commonground ?? {};
}

/** The draft with its CommonGround part changed, on to `step`. */
function withCg(state: WizardState, step: Screen, commonground: CommonGroundDraft): Outcome {
  return move(state, step, { draft: { commonground } });
}

function error(text: string): Outcome {
  return { kind: "stay", notice: { tone: "error", text } };
}

/** Why cgText refused a value, in words that follow "must be". */
function cgTextProblem(text: string): string | undefined {
  const checked = cgText.safeParse(text);
  return checked.success ? undefined : (checked.error.issues[0]?.message ?? "valid");
}

type ListAnswer = { ok: true; items: string[] } | { ok: false; text: string };

/**
 * A comma-separated answer as a list: each entry trimmed, empty ones (a trailing comma) dropped,
 * repeats kept once; every entry must pass the CommonGround text rule, and at most CG_LIST_MAX.
 */
export function parseCommaList(raw: string, what: string, howTo: string): ListAnswer {
  const entries = raw.split(",").map((entry) => entry.trim());
  const items = [...new Set(entries.filter((entry) => entry !== ""))];
  if (items.length === 0) return { ok: false, text: `No ${what} in that answer. ${howTo}` };
  if (items.length > CG_LIST_MAX)
    return { ok: false, text: `That is ${items.length} ${what}s; at most ${CG_LIST_MAX}. ${howTo}` };
  for (const [index, item] of items.entries()) {
    const problem = cgTextProblem(item);
    // The entry is named by its place, not echoed: it may hold the very characters refused.
    if (problem !== undefined)
      return {
        ok: false,
        text: `${capitalised(what)} ${index + 1} is refused: each ${what} must be ${problem}. ${howTo}`,
      };
  }
  return { ok: true, items };
}

function capitalised(text: string): string {
  return `${text.slice(0, 1).toUpperCase()}${text.slice(1)}`;
}

const worker: ScreenDef = {
  view: (state, ctx, ui) => {
    const cg = target(ctx);
    const fallback = cg?.workerTarget ?? "";
    const chosen = cgDraft(state).worker_target;
    return {
      title: COMMONGROUND_TITLE,
      body: [
        `The profile is created in ${cg?.target ?? "the CommonGround project"}.`,
        "Which worker runs it? CommonGround hands the profile's turns to the worker of this name (worker_target).",
        field("Now", chosen ?? `${fallback} (the project's default)`),
        `Send a worker's name (one line, at most ${CG_TEXT_MAX_CHARS} characters), or use the default.`,
      ],
      input: { kind: "text", prompt: "Worker target", maxLength: CG_TEXT_MAX_CHARS, placeholder: fallback },
      buttons: [
        [
          ui.button(`Use ${shown(fallback)}`, "default", undefined, "primary"),
          ...(chosen !== undefined && chosen !== fallback
            ? [ui.button(`Keep ${shown(chosen)}`, "next")]
            : []),
        ],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: (state) => (state.returnToReview ? "review" : "persona.pick"),
  press: (state, action) => {
    if (action === "default") {
      // Absent: the project's default worker (Review and the blueprint name it).
      const { worker_target: _dropped, ...rest } = cgDraft(state);
      return withCg(state, "commonground.tags", rest);
    }
    if (action === "next" && cgDraft(state).worker_target !== undefined)
      return move(state, "commonground.tags");
    return UNKNOWN;
  },
  text: (state, text, ctx) => {
    const problem = cgTextProblem(text);
    const fallback = target(ctx)?.workerTarget ?? "";
    if (problem !== undefined)
      return error(
        `The worker target must be ${problem}. Send the name of a worker the project runs, e.g. ${shown(fallback)}, or press Use ${shown(fallback)}.`,
      );
    return withCg(state, "commonground.tags", { ...cgDraft(state), worker_target: text.trim() });
  },
};

const TAGS_HOW_TO = "Send tags separated by commas, e.g. research, writing, or press No tags.";

const tags: ScreenDef = {
  view: (state, _ctx, ui) => {
    const chosen = cgDraft(state).tags;
    return {
      title: COMMONGROUND_TITLE,
      body: [
        "Tags describe the profile in the project; a delegation policy can name the profiles it delegates to by tag.",
        field("Now", chosen === undefined ? undefined : chosen.length === 0 ? "no tags" : chosen.join(", ")),
        `Send the tags separated by commas, e.g. research, writing (at most ${CG_LIST_MAX}, each one line of at most ${CG_TEXT_MAX_CHARS} characters).`,
      ],
      input: {
        kind: "text",
        prompt: "Tags",
        maxLength: TEXT_INPUT_MAX_CHARS,
        placeholder: "research, writing",
      },
      buttons: [
        [
          ui.button("No tags", "none"),
          ...(chosen !== undefined && chosen.length > 0 ? [ui.button("Keep these tags", "next")] : []),
        ],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "commonground.worker",
  press: (state, action) => {
    if (action === "none") return withCg(state, "commonground.delegates", { ...cgDraft(state), tags: [] });
    if (action === "next" && (cgDraft(state).tags?.length ?? 0) > 0)
      return move(state, "commonground.delegates");
    return UNKNOWN;
  },
  text: (state, text) => {
    const parsed = parseCommaList(text, "tag", TAGS_HOW_TO);
    if (!parsed.ok) return error(parsed.text);
    return withCg(state, "commonground.delegates", { ...cgDraft(state), tags: parsed.items });
  },
};

const delegates: ScreenDef = {
  view: (state, ctx, ui) => {
    const profiles = target(ctx)?.profiles ?? [];
    if (profiles.length === 0)
      return {
        title: COMMONGROUND_TITLE,
        body: ["The project has no profiles yet, so there is nobody to delegate to."],
        buttons: [
          [ui.button("Next ▶", "next", undefined, "primary")],
          [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
        ],
      };
    const chosen = cgDraft(state).delegates ?? [];
    return {
      title: COMMONGROUND_TITLE,
      body: [
        "Which of the project's profiles may this one delegate to (delegation_policy.target_profiles)?",
        field("Chosen", chosen.length === 0 ? "nobody" : chosen.map(shown).join(", ")),
      ],
      choices: ui.list(
        "multi",
        profiles.map((name) => ({ label: shown(name), selected: chosen.includes(name) })),
      ),
      buttons: [
        [ui.button("Next ▶", "next", undefined, "primary"), ui.button("No delegation", "none")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "commonground.tags",
  press: (state, action, arg, ctx) => {
    const profiles = target(ctx)?.profiles ?? [];
    const cg = cgDraft(state);
    if (action === "none") return withCg(state, "commonground.must_end_with", { ...cg, delegates: [] });
    if (action === "next") {
      // Only names the project still has: a list from an older session may name a deleted profile.
      const kept = (cg.delegates ?? []).filter((name) => profiles.includes(name));
      return withCg(state, "commonground.must_end_with", { ...cg, delegates: kept });
    }
    if (action !== "toggle") return UNKNOWN;
    const index = indexArg(arg, profiles.length);
    const name = index === undefined ? undefined : profiles[index];
    if (name === undefined) return UNKNOWN;
    return withCg(state, "commonground.delegates", { ...cg, delegates: toggled(cg.delegates ?? [], name) });
  },
};

const MUST_END_HOW_TO = "Send tool names separated by commas, e.g. submit_result, or press None.";

const mustEndWith: ScreenDef = {
  view: (state, _ctx, ui) => {
    const chosen = cgDraft(state).must_end_with;
    return {
      title: COMMONGROUND_TITLE,
      body: [
        "Must every turn of this profile end with a call of one of these tools (must_end_with)?",
        field("Now", chosen === undefined ? undefined : chosen.length === 0 ? "none" : chosen.join(", ")),
        "Send the worker's tool names separated by commas, e.g. submit_result, or press None.",
      ],
      input: {
        kind: "text",
        prompt: "Tool names",
        maxLength: TEXT_INPUT_MAX_CHARS,
        placeholder: "submit_result",
      },
      buttons: [
        [
          ui.button("None", "none"),
          ...(chosen !== undefined && chosen.length > 0 ? [ui.button("Keep these tools", "next")] : []),
        ],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "commonground.delegates",
  press: (state, action) => {
    if (action === "none") return withCg(state, "review", { ...cgDraft(state), must_end_with: [] });
    if (action === "next" && (cgDraft(state).must_end_with?.length ?? 0) > 0) return move(state, "review");
    return UNKNOWN;
  },
  text: (state, text) => {
    const parsed = parseCommaList(text, "tool name", MUST_END_HOW_TO);
    if (!parsed.ok) return error(parsed.text);
    return withCg(state, "review", { ...cgDraft(state), must_end_with: parsed.items });
  },
};

export const commongroundScreens = {
  "commonground.worker": worker,
  "commonground.tags": tags,
  "commonground.delegates": delegates,
  "commonground.must_end_with": mustEndWith,
} satisfies Partial<Record<Screen, ScreenDef>>;

/**
 * Review of a Create in a CommonGround project: what the profile will be there, where it goes, and
 * in one line what of a Hermes profile it does not get (none of Hermes' files, keys or skills).
 */
export function commonGroundReviewLines(
  state: WizardState,
  ctx: WizardContext,
  cg: CommonGroundTarget,
): string[] {
  const { draft } = state;
  const section = cgDraft(state);
  const provider = draft.provider ? findProvider(ctx.catalog, draft.provider) : undefined;
  const delegated = section.delegates ?? [];
  // The variable LiteLLM reads for the provider (the export names the same one), else the catalog's:
  // they differ for Gemini (LiteLLM's GEMINI_API_KEY, Hermes' GOOGLE_API_KEY).
  const keyEnv =
    (draft.provider && draft.model
      ? toLiteLlm({ provider: draft.provider, model: draft.model, base_url: draft.base_url ?? null })?.keyEnv
      : undefined) ?? provider?.api_key_env;
  return [
    `Created in ${cg.target}.`,
    field("Name", draft.name),
    field("Description", draft.description),
    field("Identity text (system_prompt_template)", soulSummary(state, true)),
    field(
      "Model",
      draft.provider && draft.model ? modelLine(draft.provider, draft.model, draft.base_url) : undefined,
    ),
    ...(draft.base_url ? [field("Server", draft.base_url)] : []),
    ...(draft.base_url && isLoopbackUrl(draft.base_url)
      ? [
          `⚠ ${draft.base_url} is a loopback address: the CommonGround worker will ask a server on its own machine, not on this bot's.`,
        ]
      : []),
    ...commonGroundFitWarnings(state),
    field(
      "Persona",
      draft.persona
        ? `${draft.persona.id}, its text after the identity text in system_prompt_template`
        : undefined,
    ),
    field("Worker target", section.worker_target ?? `${cg.workerTarget} (the project's default)`),
    field("Tags", section.tags && section.tags.length > 0 ? section.tags.join(", ") : "none"),
    field(
      "Delegates to",
      delegated.length > 0 ? delegated.map(shown).join(", ") : "nobody (no delegation_policy)",
    ),
    field(
      "Must end with",
      section.must_end_with && section.must_end_with.length > 0 ? section.must_end_with.join(", ") : "none",
    ),
    `Not sent to CommonGround: skills, tools, MCP servers, keys (${
      keyEnv ? `the worker reads ${keyEnv} from its environment` : "none is uploaded"
    }), display name.`,
  ];
}

/**
 * What the local server said about the model that matters to a CommonGround worker: whether it can
 * call tools (the worker's tools, must_end_with among them). Hermes' minimum context window is no
 * rule of CommonGround's, so it is not warned about.
 */
export function commonGroundFitWarnings(state: WizardState): string[] {
  const facts = state.modelFacts;
  const model = state.draft.model;
  if (!facts || model === undefined || facts.model !== model || facts.tools !== false) return [];
  return [
    `⚠ ${model} cannot call tools (its server does not list the "tools" capability): the worker could not call its tools, nor end a turn with one (must_end_with).`,
  ];
}

/** The model as chosen and as LiteLLM (CommonGround's llm_config) will name it. */
function modelLine(slug: string, model: string, baseUrl: string | undefined): string {
  const mapped = toLiteLlm({ provider: slug, model, base_url: baseUrl ?? null });
  return `${slug} / ${model} (${
    mapped
      ? `llm_config.model ${mapped.model}`
      : "no LiteLLM name for this provider: CommonGround's default model would apply"
  })`;
}
