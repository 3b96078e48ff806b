// The same wizard written the way a grammY developer would with @grammyjs/conversations: one
// conversation per user that edits one message and waits for each answer. Used only by the
// benchmark, to compare with our stateless-button core side by side.
import {
  conversations,
  createConversation,
  type Conversation,
  type ConversationFlavor,
} from "@grammyjs/conversations";
import { Bot, type Context } from "grammy";
import type { InlineKeyboardMarkup } from "grammy/types";

type WizardContext = ConversationFlavor<Context>;

/** Screens with the same titles and buttons as ours, so one user script drives both bots. */
const SCREENS: readonly { title: string; buttons: readonly string[] }[] = [
  {
    title: "Step 1/7 · Identity (name set)",
    buttons: ["Display name", "Description", "Clone from…", "Rename", "Next ▶", "◀ Back", "✖ Cancel"],
  },
  {
    title: "Step 2/7 · Model",
    buttons: [
      "OpenRouter",
      "Anthropic",
      "OpenAI",
      "Google Gemini",
      "DeepSeek",
      "xAI",
      "Ollama (local)",
      "LM Studio",
      "◀ Back",
      "✖ Cancel",
    ],
  },
  {
    title: "Step 2/7 · Model id",
    buttons: ["gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini", "Type a model id", "◀ Back", "✖ Cancel"],
  },
  { title: "Step 2/7 · API key", buttons: ["Skip (leave empty)", "◀ Back", "✖ Cancel"] },
  {
    title: "Step 3/7 · Skills · built-in",
    buttons: ["Keep default bundle", "No built-in skills", "Optional skills ▶", "◀ Back", "✖ Cancel"],
  },
  {
    title: "Step 3/7 · Skills · optional",
    buttons: [
      "devops/docker-debug",
      "research/arxiv-digest",
      "writing/release-notes",
      "Hub skills ▶",
      "◀ Back",
      "✖ Cancel",
    ],
  },
  { title: "Step 3/7 · Skills · hub", buttons: ["Done ▶", "Clear", "◀ Back", "✖ Cancel"] },
  {
    title: "Step 4/7 · Tools",
    buttons: [
      "Web Search & Scraping",
      "⚠ Terminal & Processes",
      "Safe preset",
      "MCP servers ▶",
      "◀ Back",
      "✖ Cancel",
    ],
  },
  {
    title: "Step 5/7 · MCP servers",
    buttons: [
      "brave-search",
      "context7",
      "fetch",
      "filesystem",
      "github",
      "Add custom…",
      "Next ▶",
      "◀ Back",
      "✖ Cancel",
    ],
  },
  { title: "Step 6/7 · Persona", buttons: ["No persona", "◀ Back", "✖ Cancel"] },
  { title: "Step 7/7 · Review", buttons: ["✓ Create", "Edit identity", "Edit model", "◀ Back", "✖ Cancel"] },
];

function keyboard(labels: readonly string[]): InlineKeyboardMarkup {
  return { inline_keyboard: labels.map((label, index) => [{ text: label, callback_data: `c:${index}` }]) };
}

async function wizard(
  conversation: Conversation<WizardContext, WizardContext>,
  ctx: WizardContext,
): Promise<void> {
  const chatId = ctx.chat?.id ?? 0;
  const message = await ctx.reply("Step 1/7 · Identity\n\nWhat should the new profile be called?");
  const answer = await conversation.waitFor("message:text");
  const name = answer.message.text;
  for (const screen of SCREENS) {
    await ctx.api.editMessageText(chatId, message.message_id, `${screen.title}\n\nName: ${name}`, {
      reply_markup: keyboard(screen.buttons),
    });
    const press = await conversation.waitFor("callback_query:data");
    await press.answerCallbackQuery();
  }
}

export interface ConversationsBot {
  readonly bot: Bot<WizardContext>;
  /** Bytes of stored conversation state per chat, as JSON. */
  readonly stateBytes: (chatId: number) => number;
}

export function conversationsBot(token: string, apiRoot: string): ConversationsBot {
  const stored = new Map<string, unknown>();
  const bot = new Bot<WizardContext>(token, { client: { apiRoot } });
  bot.use(
    conversations({
      storage: {
        type: "key",
        adapter: {
          read: (key: string) => stored.get(key) as never,
          write: (key: string, state: unknown) => void stored.set(key, state),
          delete: (key: string) => void stored.delete(key),
        },
      },
    }),
  );
  bot.use(createConversation(wizard, "wizard"));
  bot.command("profile_new", (ctx) => ctx.conversation.enter("wizard"));
  return { bot, stateBytes: (chatId) => JSON.stringify(stored.get(String(chatId)) ?? null).length };
}

// Run as its own process by bench/telegram.ts: TELEGRAM_BOT_TOKEN=… TELEGRAM_API_ROOT=… node --import tsx <this file>
if (process.argv[1] === import.meta.filename) {
  const { bot } = conversationsBot(
    process.env["TELEGRAM_BOT_TOKEN"] ?? "",
    process.env["TELEGRAM_API_ROOT"] ?? "",
  );
  process.once("SIGTERM", () => void bot.stop());
  await bot.start();
}
