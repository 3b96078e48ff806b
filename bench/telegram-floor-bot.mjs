// The floor for the Telegram benchmark: a stateless grammY bot doing the same answer-and-edit work
// as our wizard (a screen per step, an inline keyboard, each press answered and its message edited),
// with nothing else: no store, no core, no logging. Plain JavaScript run by node itself, so its
// memory is grammY's and Node's alone (no TypeScript loader).
// Run by bench/telegram.ts as its own process: TELEGRAM_BOT_TOKEN=… TELEGRAM_API_ROOT=… node bench/telegram-floor-bot.mjs
import process from "node:process";
import { Bot } from "grammy";

/** The screens after the name, with the labels the benchmark's users press. */
const SCREENS = [
  ["Step 1/7 · Identity", ["Display name", "Description", "Clone from…", "Next ▶", "✖ Cancel"]],
  ["Step 2/7 · Model", ["OpenRouter", "Anthropic", "OpenAI", "Google Gemini", "Ollama (local)", "◀ Back"]],
  ["Step 2/7 · Model id", ["gpt-4.1", "gpt-4.1-mini", "o3", "Type a model id", "◀ Back"]],
  ["Step 2/7 · API key", ["Skip (leave empty)", "◀ Back", "✖ Cancel"]],
  ["Step 3/7 · Skills · built-in", ["Keep default bundle", "Optional skills ▶", "◀ Back"]],
  ["Step 3/7 · Skills · optional", ["devops/docker-debug", "Hub skills ▶", "◀ Back"]],
  ["Step 3/7 · Skills · hub", ["Done ▶", "Clear", "◀ Back", "✖ Cancel"]],
  ["Step 4/7 · Tools", ["Web Search & Scraping", "Safe preset", "MCP servers ▶", "◀ Back"]],
  ["Step 5/7 · MCP servers", ["fetch", "github", "Add custom…", "Next ▶", "◀ Back"]],
  ["Step 6/7 · Persona", ["No persona", "◀ Back", "✖ Cancel"]],
  ["Step 7/7 · Review", ["✓ Create", "◀ Back", "✖ Cancel"]],
];

/** Screen `index` as text and keyboard; each button carries the index of the screen it leads to. */
function screen(index) {
  const [title, labels] = SCREENS[Math.min(index, SCREENS.length - 1)];
  return {
    text: `${title}\n\nPick one of the buttons below.`,
    reply_markup: {
      inline_keyboard: labels.map((label, button) => [
        { text: label, callback_data: `s:${index + 1}:${button}` },
      ]),
    },
  };
}

const bot = new Bot(process.env.TELEGRAM_BOT_TOKEN ?? "", {
  client: { apiRoot: process.env.TELEGRAM_API_ROOT ?? "https://api.telegram.org" },
});
bot.command("profile_new", (ctx) =>
  ctx.reply("Step 1/7 · Identity\n\nWhat should the new profile be called?"),
);
bot.on("message:text", (ctx) => {
  const { text, reply_markup } = screen(0);
  return ctx.reply(text, { reply_markup });
});
bot.on("callback_query:data", async (ctx) => {
  await ctx.answerCallbackQuery();
  const { text, reply_markup } = screen(Number(ctx.callbackQuery.data.split(":")[1] ?? 0));
  await ctx.editMessageText(text, { reply_markup });
});
process.once("SIGTERM", () => void bot.stop());
await bot.start();
