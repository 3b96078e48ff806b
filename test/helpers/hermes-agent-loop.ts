// The real Hermes agent loop, for one profile, against a scripted model server: one process of
// Hermes' own Python builds `run_agent.AIAgent` the way `hermes -z` (hermes_cli/oneshot.py) does for
// a chat turn, with the profile's config.yaml, plugins and platform toolsets, and runs the given
// user turns in one session. What Hermes sent the model is what the scripted server recorded
// (test/helpers/scripted-model-server.ts); what Hermes made of the replies is this helper's answer.
import { execFile } from "node:child_process";
import path from "node:path";
import { hermesBin, hermesEnv } from "./hermes.ts";
import { recordArtifact } from "./leak-ledger.ts";

/**
 * One Hermes agent run (start-up ~5 s, a few tool round-trips on loopback) that takes longer than
 * this is a hang: the process is killed and the harness fails instead of waiting.
 */
export const HERMES_AGENT_RUN_TIMEOUT_MS = 45_000;

export interface HermesAgentRunOptions {
  /** The Hermes home (its parent holds the user's HOME, as for every Hermes call in the tests). */
  readonly hermesHome: string;
  /** The profile folder Hermes runs as (HERMES_HOME): its config.yaml, plugins, SOUL.md, state.db. */
  readonly profileDir: string;
  /** The model server's OpenAI base URL (…/v1); it replaces whatever endpoint the profile names. */
  readonly baseUrl: string;
  readonly model: string;
  /** User messages, sent in order in one session, each with the history of the ones before. */
  readonly turns: readonly string[];
  /** The platform whose toolsets the profile enables (Hermes' `_get_platform_tools`); default "cli". */
  readonly platform?: string;
  /**
   * The session id the agent runs under. When that session already has messages in the profile's
   * state.db (an earlier run with the same id), they are restored as history first, the way
   * `hermes --resume ID` restores them: a second run models a later turn in the same session.
   */
  readonly sessionId?: string;
}

export interface HermesToolCall {
  readonly id: string;
  readonly name: string;
  /** The arguments as the model sent them (a JSON string, parsed when it parses). */
  readonly arguments: unknown;
  /** The tool message Hermes answered the call with (its content), null when none followed. */
  readonly result: string | null;
}

export interface HermesTurn {
  readonly userMessage: string;
  /** agent.session_id after the turn (Hermes rotates it only when it compresses the context). */
  readonly sessionId: string | null;
  readonly finalResponse: string | null;
  readonly toolCalls: HermesToolCall[];
  readonly apiCalls: number | null;
  readonly completed: boolean | null;
  readonly failed: boolean;
  /** Hermes' own error for the turn (result["error"]), or the exception that escaped run_conversation. */
  readonly error: string | null;
}

export interface HermesAgentRun {
  readonly sessionId: string | null;
  /** Messages restored from state.db before the first turn (0 for a new session). */
  readonly restoredMessages: number;
  /** The toolsets Hermes enabled for the platform, sorted. */
  readonly toolsets: string[];
  /** The tool names the agent offers the model (agent.tools), sorted. */
  readonly tools: string[];
  readonly turns: HermesTurn[];
  /** An exception before or between turns (building the agent, loading config), with its traceback. */
  readonly error: string | null;
}

/**
 * How the agent is built (comments in the Python say why):
 * - config: hermes_cli.config.load_config() of HERMES_HOME = the profile folder, as every Hermes
 *   command reads it;
 * - toolsets: sorted(_get_platform_tools(cfg, platform)) from hermes_cli/tools_config.py, the
 *   resolution `hermes -z` and `hermes tools list --platform` use, which also discovers the
 *   profile's enabled plugins and enables their toolsets;
 * - endpoint: resolve_runtime_provider(requested="custom", explicit_base_url=the scripted server),
 *   so whatever provider the profile names, requests go to loopback as an OpenAI-compatible
 *   custom endpoint (api_mode chat_completions);
 * - AIAgent(..., quiet_mode=True, platform, session_id, session_db=SessionDB()) like oneshot.py;
 * - each turn: agent.run_conversation(message, conversation_history=previous result["messages"],
 *   task_id=session id), which is how cli.py carries history from one turn to the next.
 */
const AGENT_LOOP = String.raw`
import contextlib, json, os, sys, traceback

spec = json.loads(os.environ["BLUEPRINT_AGENT_SPEC"])
real_stdout = sys.stdout
out = {"sessionId": None, "restoredMessages": 0, "toolsets": [], "tools": [], "turns": [], "error": None}


def tool_calls_of(messages):
    """The assistant tool calls in these messages, each with the tool message that answered it."""
    results = {m.get("tool_call_id"): m.get("content") for m in messages if m.get("role") == "tool"}
    calls = []
    for m in messages:
        if m.get("role") != "assistant":
            continue
        for tc in m.get("tool_calls") or []:
            fn = tc.get("function") or {}
            raw = fn.get("arguments")
            try:
                args = json.loads(raw) if isinstance(raw, str) else raw
            except Exception:
                args = raw
            result = results.get(tc.get("id"))
            calls.append({"id": tc.get("id"), "name": fn.get("name"), "arguments": args,
                          "result": result if isinstance(result, str) or result is None else json.dumps(result)})
    return calls


# Hermes prints banners and status lines to stdout; only this script's JSON line may reach it.
with contextlib.redirect_stdout(sys.stderr):
    agent = None
    session_db = None
    try:
        # Non-interactive, like hermes -z: a dangerous-command or shell-hook prompt would hang.
        os.environ["HERMES_YOLO_MODE"] = "1"
        os.environ["HERMES_ACCEPT_HOOKS"] = "1"
        from hermes_cli.config import load_config
        from hermes_cli.runtime_provider import resolve_runtime_provider
        from hermes_cli.tools_config import _get_platform_tools
        from run_agent import AIAgent

        cfg = load_config()
        platform = spec["platform"]
        toolsets = sorted(_get_platform_tools(cfg, platform))
        out["toolsets"] = toolsets
        runtime = resolve_runtime_provider(requested="custom", explicit_base_url=spec["baseUrl"],
                                           explicit_api_key="scripted-no-key", target_model=spec["model"])
        try:
            from hermes_state import SessionDB
            session_db = SessionDB()
        except Exception:
            session_db = None

        history = []
        if spec.get("sessionId") and session_db is not None:
            # hermes --resume: the stored transcript of that session becomes the history.
            try:
                restored = session_db.get_messages_as_conversation(spec["sessionId"], repair_alternation=True)
            except Exception:
                restored = []
            history = [m for m in (restored or []) if m.get("role") != "session_meta"]
            out["restoredMessages"] = len(history)

        agent = AIAgent(
            api_key=runtime.get("api_key"),
            base_url=runtime.get("base_url"),
            provider=runtime.get("provider"),
            api_mode=runtime.get("api_mode"),
            model=spec["model"],
            enabled_toolsets=toolsets,
            quiet_mode=True,
            platform=platform,
            session_id=spec.get("sessionId") or None,
            session_db=session_db,
            # A scripted conversation needs a few model calls per turn; a loop that keeps calling
            # (a reply Hermes does not accept, say) stops here instead of at Hermes' default of 90.
            max_iterations=8,
        )
        # One try per model call: a scripted server that ran out answers 500, and Hermes' default
        # three retries with back-off would only make the failure slower.
        agent._api_max_retries = 1
        agent.suppress_status_output = True
        agent.stream_delta_callback = None
        agent.tool_gen_callback = None
        out["sessionId"] = agent.session_id
        out["tools"] = sorted({(t.get("function") or {}).get("name") for t in (agent.tools or [])} - {None})

        for message in spec["turns"]:
            turn = {"userMessage": message, "sessionId": None, "finalResponse": None, "toolCalls": [], "apiCalls": None,
                    "completed": None, "failed": False, "error": None}
            try:
                before = len(history)
                result = agent.run_conversation(message, conversation_history=list(history),
                                                task_id=agent.session_id)
                messages = result.get("messages") or []
                turn["finalResponse"] = result.get("final_response")
                turn["toolCalls"] = tool_calls_of(messages[before:])
                turn["apiCalls"] = result.get("api_calls")
                turn["completed"] = result.get("completed")
                turn["failed"] = bool(result.get("failed"))
                turn["error"] = result.get("error")
                history = messages
            except BaseException as exc:
                turn["failed"] = True
                turn["error"] = "".join(traceback.format_exception(exc))
            turn["sessionId"] = agent.session_id
            out["turns"].append(turn)
        out["sessionId"] = agent.session_id
    except BaseException as exc:
        out["error"] = "".join(traceback.format_exception(exc))
    finally:
        if agent is not None:
            try:
                agent.close()
            except Exception:
                pass
        if session_db is not None:
            try:
                session_db.close()
            except Exception:
                pass

real_stdout.write(json.dumps(out, default=str) + "\n")
real_stdout.flush()
# Skip interpreter teardown: background threads Hermes may leave would otherwise delay the exit.
os._exit(0)
`;

/**
 * Network switches for the run. Hermes has no offline flag; its metadata look-ups (a profile with
 * no model.context_length makes it ask openrouter.ai about the model, for one) go through
 * httpx/requests/urllib, which all honour the proxy variables: every host but loopback is sent to a
 * closed port on loopback, so a look-up fails at once instead of waiting on a network that is not
 * there, and the scripted server on 127.0.0.1 is still reached directly.
 */
const OFFLINE_ENV = {
  HTTP_PROXY: "http://127.0.0.1:9",
  HTTPS_PROXY: "http://127.0.0.1:9",
  ALL_PROXY: "http://127.0.0.1:9",
  http_proxy: "http://127.0.0.1:9",
  https_proxy: "http://127.0.0.1:9",
  all_proxy: "http://127.0.0.1:9",
  NO_PROXY: "127.0.0.1,localhost",
  no_proxy: "127.0.0.1,localhost",
};

/** Runs the turns through the real Hermes agent loop; fails when the process itself fails. */
export function runHermesAgent(options: HermesAgentRunOptions): Promise<HermesAgentRun> {
  const python = path.join(path.dirname(hermesBin()), "python");
  const spec = {
    baseUrl: options.baseUrl,
    model: options.model,
    turns: options.turns,
    platform: options.platform ?? "cli",
    sessionId: options.sessionId ?? null,
  };
  const env = hermesEnv(options.hermesHome, {
    HERMES_HOME: options.profileDir,
    BLUEPRINT_AGENT_SPEC: JSON.stringify(spec),
    ...OFFLINE_ENV,
  });
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ["-c", AGENT_LOOP],
      // The working directory is the profile folder: Hermes reads project files (AGENTS.md and the
      // like) from it, and a profile folder has none, so the prompt holds only what the profile gives.
      { env, cwd: options.profileDir, timeout: HERMES_AGENT_RUN_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        recordArtifact("hermes agent loop", `${stdout}\n${stderr}`);
        const last = stdout.trim().split("\n").at(-1) ?? "";
        if (error || !last.startsWith("{")) {
          const why = error?.killed
            ? `killed after ${HERMES_AGENT_RUN_TIMEOUT_MS} ms`
            : `exit ${String(error?.code)}`;
          reject(new Error(`Hermes' agent loop failed (${why}):\n${stdout}\n${stderr}`));
          return;
        }
        resolve(JSON.parse(last) as HermesAgentRun);
      },
    );
  });
}
