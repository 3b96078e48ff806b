// A command's Reply on Discord: one message when it fits 2,000 characters; otherwise split into
// follow-ups, or sent as a file when the reply carries one or would need too many messages.
import {
  AttachmentBuilder,
  MessageFlags,
  type ChatInputCommandInteraction,
  type MessageComponentInteraction,
} from "discord.js";
import {
  DISCORD_MESSAGE_MAX_CHARS,
  MAX_MESSAGES_PER_REPLY,
  splitMessage,
  type Reply,
} from "../../core/reply.ts";
import { DISCORD_BUTTONS_PER_ROW_MAX } from "./limits.ts";
import { buttonRow } from "./outbound.ts";

/** Answers an interaction that was already deferred (deferReply), keeping its visibility. */
export async function sendReply(
  interaction: ChatInputCommandInteraction | MessageComponentInteraction,
  answer: Reply,
  ephemeral: boolean,
): Promise<void> {
  const text = `${answer.ok ? "" : "✗ "}${answer.text}`;
  const buttons = (answer.buttons ?? []).slice(0, DISCORD_BUTTONS_PER_ROW_MAX);
  const components = buttons.length > 0 ? [buttonRow(buttons)] : [];
  const parts = splitMessage(text, DISCORD_MESSAGE_MAX_CHARS);
  if (parts.length <= 1) {
    await interaction.editReply({ content: text || "Done.", components });
    return;
  }
  if (answer.file || parts.length > MAX_MESSAGES_PER_REPLY) {
    const file = answer.file ?? { name: "reply.txt", content: text };
    const head = parts[0] ?? "";
    const note = `\n\n(The full text is attached as ${file.name}.)`;
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
