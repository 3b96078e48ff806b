// The outbound guard's redaction of every string the bot sends, with the secrets a busy bot holds
// (its tokens and KNOWN_SECRETS_MAX typed keys): KnownSecrets.redact, which looks each window of the
// text up by the forms' last characters, against the loop it replaced (`includes` of every form of
// every key, longest first). Run: npm run bench:redact  (prints a markdown section)
// Interleaved round by round, the order swapped every round: read the ratios.
//   payload  a Telegram editMessageText for the editor's Edit skills screen (title, body, 80
//            button labels), through guardTelegramPayload as the bot sends it.
//   hit      the same with one key in the body (both redact it; checked equal before timing).
import { performance } from "node:perf_hooks";
import { guardTelegramPayload } from "../src/adapters/telegram/outbound-guard.ts";
import { KnownSecrets, KNOWN_SECRETS_MAX, REDACTED } from "../src/app/secrets/known-secrets.ts";

const ROUNDS = Number(process.env["BENCH_REDACT_ROUNDS"] ?? 2000);

const keys = Array.from(
  { length: KNOWN_SECRETS_MAX },
  (_, index) => `sk-or-v1-${index.toString(16).padStart(8, "0")}${"ab12".repeat(14)}`,
);
const tokens = ["123456789:AAH-telegram-bot-token-0000000000000", "discord.bot.token.000000000000000000"];
const secrets = new KnownSecrets(tokens);
for (const key of keys) secrets.add(key);

/** The loop KnownSecrets.redact ran before (same forms, same order). */
const forms = [...tokens, ...keys]
  .sort((a, b) => b.length - a.length)
  .flatMap((value) => [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])]);
const loop = {
  redact(text: string): string {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  },
};

function payload(bodyExtra = ""): Record<string, unknown> {
  const labels = Array.from({ length: 80 }, (_, index) => `${index % 3 ? "✓" : "☐"} skill-number-${index}`);
  return {
    chat_id: 42,
    message_id: 7,
    text: `Edit 'team-bot' · Skills\n\nBuilt-in skills: ${labels.length} (tap to switch one off).\n${"A line of the screen's text. ".repeat(30)}${bodyExtra}`,
    reply_markup: {
      inline_keyboard: labels.map((text, index) => [{ text, callback_data: `w1:s${index}` }]),
    },
  };
}

function time(redactor: { redact(text: string): string }, body: Record<string, unknown>): number {
  const started = performance.now();
  guardTelegramPayload("editMessageText", body, redactor);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** A bot holding only its own tokens (no key typed yet), where the loop asks few forms. */
const tokensOnly = new KnownSecrets(tokens);
const tokenForms = [...tokens].sort((a, b) => b.length - a.length);
const tokensLoop = {
  redact(text: string): string {
    let out = text;
    for (const form of tokenForms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  },
};

const plain = payload();
const hit = payload(` key ${keys[500] ?? ""} end`);
for (const body of [plain, hit])
  if (
    JSON.stringify(guardTelegramPayload("editMessageText", body, secrets)) !==
    JSON.stringify(guardTelegramPayload("editMessageText", body, loop))
  )
    throw new Error("the two redactions differ");
if (!JSON.stringify(guardTelegramPayload("editMessageText", hit, secrets)).includes(REDACTED))
  throw new Error("the key was not redacted");

const samples = {
  newPlain: [] as number[],
  oldPlain: [] as number[],
  newHit: [] as number[],
  oldHit: [] as number[],
  newFew: [] as number[],
  oldFew: [] as number[],
};
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0;
  for (const first of order ? [true, false] : [false, true]) {
    if (first) {
      samples.newPlain.push(time(secrets, plain));
      samples.newHit.push(time(secrets, hit));
      samples.newFew.push(time(tokensOnly, plain));
    } else {
      samples.oldPlain.push(time(loop, plain));
      samples.oldHit.push(time(loop, hit));
      samples.oldFew.push(time(tokensLoop, plain));
    }
  }
}
const ms = (value: number) => value.toFixed(3);
const ratio = (a: number, b: number) => (a / b).toFixed(3);
console.log(`## Outbound redaction with ${secrets.size} secrets held (\`npm run bench:redact\`)

One Telegram editMessageText of the editor's Edit skills screen (${(plain["reply_markup"] as { inline_keyboard: unknown[] }).inline_keyboard.length} buttons) through the outbound
guard, ${ROUNDS} rounds interleaved; Node ${process.version}.

| payload | before (includes of every form), median | now (windows looked up by tail), median | now ÷ before |
|---|---|---|---|
| no secret in it | ${ms(median(samples.oldPlain))} ms | ${ms(median(samples.newPlain))} ms | ${ratio(median(samples.newPlain), median(samples.oldPlain))} |
| one key in its text | ${ms(median(samples.oldHit))} ms | ${ms(median(samples.newHit))} ms | ${ratio(median(samples.newHit), median(samples.oldHit))} |
| no secret in it, only the bot's ${tokens.length} tokens held | ${ms(median(samples.oldFew))} ms | ${ms(median(samples.newFew))} ms | ${ratio(median(samples.newFew), median(samples.oldFew))} |
`);
