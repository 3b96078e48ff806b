// A command's Reply on Discord: one message when it fits 2,000 characters; otherwise split into
// follow-ups, or sent as a file when the reply carries one or would need too many messages. The
// file has an upper size too: a reply quotes what hosts report, and a host can report megabytes.
import {
  AttachmentBuilder,
  MessageFlags,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from "discord.js";
import { type Reply } from "../../core/reply.ts";
import { DISCORD_MESSAGE_MAX_CHARS, DISCORD_MAX_MESSAGES_PER_REPLY } from "./limits.ts";
import { splitMessage } from "../shared/split-message.ts";
import { boundedText } from "../shared/reply-bound.ts";
import { DISCORD_BUTTONS_PER_ROW_MAX } from "./limits.ts";
import { buttonRow } from "./outbound.ts";

/**
 * The most characters a reply's file holds (at most 4 bytes each: 1 MiB, a tenth of the smallest
 * upload limit Discord gives a server). No reply of the bot's own comes near it — a whole persona
 * is about 6,000 characters, a profile list 50 lines — so only a flood from outside is cut.
 */
export const DISCORD_REPLY_FILE_MAX_CHARS = 256 * 1024;

/** Answers an interaction that was already deferred (deferReply), keeping its visibility. */
export async function sendReply(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction,
  answer: Reply,
  ephemeral: boolean,
): Promise<void> {
  const text = `${answer.ok ? "" : "✗ "}${answer.text}`;
  const buttons = (answer.buttons ?? []).slice(0, DISCORD_BUTTONS_PER_ROW_MAX);
  const components = buttons.length > 0 ? [buttonRow(buttons)] : [];
  // A text longer than the messages could hold goes to a file without being split in full first.
  const tooLong = text.length > DISCORD_MESSAGE_MAX_CHARS * DISCORD_MAX_MESSAGES_PER_REPLY;
  const parts = splitMessage(
    tooLong ? text.slice(0, DISCORD_MESSAGE_MAX_CHARS + 1) : text,
    DISCORD_MESSAGE_MAX_CHARS,
  );
  if (parts.length <= 1 && !tooLong) {
    await interaction.editReply({ content: text || "Done.", components });
    return;
  }
  if (answer.file || tooLong || parts.length > DISCORD_MAX_MESSAGES_PER_REPLY) {
    const file = replyFile(answer.file ?? { name: "reply.txt", content: text });
    const head = parts[0] ?? "";
    const whole = file.content.length === (answer.file?.content ?? text).length;
    const note = whole
      ? `\n\n(The full text is attached as ${file.name}.)`
      : `\n\n(The text is attached as ${file.name}, cut at ${DISCORD_REPLY_FILE_MAX_CHARS.toLocaleString("en-US")} characters.)`;
    await interaction.editReply({
      content: `${head.slice(0, DISCORD_MESSAGE_MAX_CHARS - note.length)}${note}`,
      files: [new AttachmentBuilder(Buffer.from(file.content, "utf8"), { name: file.name })],
      components,
    });
    return;
  }
  const flags = ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    if (index === 0) await interaction.editReply({ content: part, components: last ? components : [] });
    else await interaction.followUp({ content: part, components: last ? components : [], ...flags });
  }
}

/** The file as attached: at most DISCORD_REPLY_FILE_MAX_CHARS, ending with what was left out. */
export function replyFile(file: NonNullable<Reply["file"]>): NonNullable<Reply["file"]> {
  return {
    name: file.name,
    content: boundedText(
      file.content,
      DISCORD_REPLY_FILE_MAX_CHARS,
      (leftOut) =>
        `… about ${leftOut.toLocaleString("en-US")} more characters not shown: a reply file is at most ${DISCORD_REPLY_FILE_MAX_CHARS.toLocaleString("en-US")} characters. Ask for one thing at a time, e.g. /profile show for one profile.`,
    ),
  };
}
