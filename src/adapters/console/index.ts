// The console adapter: the wizard in a terminal. On a TTY, secrets are read without echo; when
// stdin is a pipe it reads one answer per line, so a script can drive it, and exits at end of input.
import os from "node:os";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { helpLines, type ParsedCommand } from "../../../commands/index.ts";
import type { PortResult } from "../../app/ports/wizard-output.ts";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { WizardOutput } from "../../app/ports/wizard-output.ts";
import type { Reply } from "../../core/reply.ts";
import type { View } from "../../core/view.ts";
import type { Actor, WizardState } from "../../core/wizard/index.ts";
import type { Redactor } from "../shared/outbound-text.ts";
import { interpretLine, type ConsoleInput } from "./inbound.ts";
import { renderConsoleView, type ConsoleAnswer } from "./outbound.ts";
import { printable } from "./printable.ts";

/** The console is one chat; its one user is whoever runs the process. */
export const CONSOLE_CHAT = "terminal";

export interface ConsoleIO {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly isTTY: boolean;
  /** The bot's secrets: redacted from everything printed. */
  readonly secrets?: Redactor;
}

export function consoleActor(): Actor {
  const name = os.userInfo().username;
  return { id: `console:${name}`, name };
}

/** Something with buttons shown outside the wizard (install status, Undo after a persona apply). */
interface Aside {
  readonly view: View;
  readonly answers: readonly ConsoleAnswer[];
  readonly statusRef?: string;
  readonly lineCount: number;
}

export class ConsoleAdapter implements WizardOutput {
  #view: View | undefined;
  #answers: readonly ConsoleAnswer[] = [];
  #sessionId: string | undefined;
  #muted = false;
  #outputClosed = false;
  #aside: Aside | undefined;
  #statusCount = 0;
  /** The status block still at the bottom of the screen, which a TTY can redraw in place. */
  #bottomStatus: string | undefined;

  constructor(
    private readonly runtime: ChatRuntime,
    private readonly io: ConsoleIO,
    private readonly actor: Actor = consoleActor(),
  ) {
    // A closed terminal or pipe (EPIPE) must not take the other adapters down: stop printing.
    io.output.on("error", () => {
      this.#outputClosed = true;
    });
  }

  render(state: WizardState, view: View): Promise<void> {
    if (state.owner.id !== this.actor.id) return Promise.resolve();
    const screen = renderConsoleView(view);
    this.#view = view.final ? undefined : view;
    this.#answers = view.final ? [] : screen.answers;
    this.#sessionId = view.final ? undefined : state.id;
    this.#print(screen.text);
    if (view.final) this.#print("\nType /profile new to create another profile, or /help.");
    return Promise.resolve();
  }

  sendStatus(_chat: string, view: View): Promise<PortResult> {
    this.#statusCount += 1;
    const ref = `status-${this.#statusCount}`;
    this.#showAside(view, ref, false);
    return Promise.resolve({ ok: true, ref });
  }

  editStatus(_chat: string, ref: string, view: View): Promise<PortResult> {
    this.#showAside(view, ref, this.io.isTTY && this.#bottomStatus === ref);
    return Promise.resolve({ ok: true });
  }

  notify(_state: WizardState, _actorId: string, text: string): Promise<void> {
    this.#print(`ℹ ${text}`);
    return Promise.resolve();
  }

  /** Reads answers until end of input, then waits for running installs and their final state. */
  async run(): Promise<void> {
    const terminalOut = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (!this.#muted) this.io.output.write(chunk);
        done();
      },
    });
    const lines = createInterface({ input: this.io.input, output: terminalOut, terminal: this.io.isTTY });
    // In terminal mode Ctrl+C reaches readline, not the process: end the input like Ctrl+D does.
    lines.on("SIGINT", () => lines.close());
    // Start listening before the first await: readline drops lines that arrive before its async
    // iterator exists (piped answers written while a resumed wizard is being shown were lost).
    const answers = lines[Symbol.asyncIterator]();
    this.#print("agent-blueprint: build a Hermes agent profile step by step.");
    const open = await this.runtime.findOpen("console", CONSOLE_CHAT, this.actor.id);
    if (open) {
      this.#print(`Resuming your open wizard for '${open.draft.name ?? "a new profile"}'.`);
      await this.runtime.show(open.id);
    } else {
      this.#print("Type /profile new to start, or /help for the commands.");
    }
    this.#muted = this.#secretAsked();
    for await (const line of { [Symbol.asyncIterator]: () => answers }) {
      this.#muted = false;
      if (this.#secretAsked()) this.io.output.write("\n");
      if (await this.#paragraphLine(line)) {
        this.#muted = this.#secretAsked();
        continue;
      }
      const aside = this.#aside && !this.#aside.view.final ? this.#aside : undefined;
      const input =
        this.#view || !aside
          ? interpretLine(line, this.#view, this.#answers)
          : interpretLine(line, aside.view, aside.answers);
      await this.#handle(input);
      this.#muted = this.#secretAsked();
    }
    await this.runtime.settled();
  }

  /**
   * A paragraph answer (a view whose input is multiline): its first line is read as any answer
   * (a button's name or a command still works), then every line is taken as it is until a line
   * holding only "." sends them together. Returns whether the line was taken here.
   */
  async #paragraphLine(line: string): Promise<boolean> {
    const text = line.replace(/\r$/, "");
    if (this.#paragraph !== undefined) {
      if (text.trim() !== ".") {
        this.#paragraph.push(text);
        return true;
      }
      const answer = this.#paragraph.join("\n");
      this.#paragraph = undefined;
      if (this.#sessionId) await this.runtime.text(this.#sessionId, this.actor, answer);
      return true;
    }
    if (!this.#view?.input?.multiline) return false;
    const input = interpretLine(line, this.#view, this.#answers);
    if (input.kind !== "text") return false;
    this.#paragraph = [text];
    this.#print("… (more lines, then a line holding only '.' to send)");
    return true;
  }

  #secretAsked(): boolean {
    return this.#view?.input?.kind === "secret" && this.io.isTTY;
  }

  /** Lines of a paragraph answer being typed. */
  #paragraph: string[] | undefined;

  async #handle(input: ConsoleInput): Promise<void> {
    const sessionId = this.#sessionId;
    switch (input.kind) {
      case "none":
        return;
      case "invalid":
        this.#print(`✗ ${input.message}`);
        return;
      case "command":
        return this.#command(input.command);
      case "press": {
        const result = await this.runtime.press(input.token, this.actor);
        if (result.reply) this.#showReply(result.reply);
        else if (!result.ok && result.message) this.#print(`✗ ${result.message}`);
        else if (result.message && input.token.startsWith("i:")) this.#print(`ℹ ${result.message}`);
        return;
      }
      case "text":
        if (sessionId) await this.runtime.text(sessionId, this.actor, input.text);
        return;
      case "secret": {
        if (!sessionId) return;
        const result = await this.runtime.submitSecret(sessionId, this.actor, input.value);
        if (!result.ok && result.message) this.#print(`✗ ${result.message}`);
        return;
      }
    }
  }

  async #command(command: ParsedCommand): Promise<void> {
    const outcome = await this.runtime.command(
      command,
      { actor: this.actor, surface: "console", chat: CONSOLE_CHAT },
      { spell: (path) => `/${path}` },
    );
    switch (outcome.kind) {
      case "wizard":
        return;
      case "reply":
        return this.#showReply(outcome.reply);
      case "help":
        return this.#print(
          [
            "Commands:",
            ...helpLines().map((line) => `  ${line}`),
            "  /N — press button N while a text answer is asked",
          ].join("\n"),
        );
    }
  }

  /** A command's answer: its text (bounded like every print) and its buttons. */
  #showReply(answer: Reply): void {
    const text = `${answer.ok ? "" : "✗ "}${answer.text}`;
    if (!answer.buttons || answer.buttons.length === 0) return this.#print(text);
    this.#showAside(
      {
        sessionId: "reply",
        rev: 0,
        title: "",
        body: text.split("\n"),
        buttons: [answer.buttons],
        final: false,
      },
      undefined,
      false,
    );
  }

  /** Prints a view outside the wizard; on a TTY, an edit of the block still at the bottom redraws in place. */
  #showAside(view: View, statusRef: string | undefined, inPlace: boolean): void {
    const screen = renderConsoleView(view);
    const text = screen.text.replace(/^\n/, "");
    if (inPlace && this.#aside) this.io.output.write(`\x1b[${this.#aside.lineCount}F\x1b[J`);
    const printed = this.#printed(text);
    this.#aside = {
      view,
      answers: screen.answers,
      lineCount: printed.split("\n").length,
      ...(statusRef ? { statusRef } : {}),
    };
    this.#bottomStatus = statusRef;
  }

  /**
   * Every text the console shows goes out here, made printable (no escape sequence or control
   * character, no secret, bounded); the cursor moves of an in-place redraw are the only bytes written
   * around it.
   */
  #print(text: string): void {
    this.#printed(text);
  }

  /** Prints `text` (as #print does) and returns what was printed. */
  #printed(text: string): string {
    this.#bottomStatus = undefined;
    const printed = printable(text, this.io.secrets);
    if (!this.#outputClosed) this.io.output.write(`${printed}\n`);
    return printed;
  }
}
