// The JSON shapes the fake Discord sends: users, members, messages, interactions and the guild, as
// the v10 API documents them (fields discord.js reads when it builds its structures).

export const APPLICATION_ID = "1100000000000000001";
export const GUILD_ID = "1200000000000000001";
export const BOT_USER = {
  id: APPLICATION_ID,
  username: "blueprint",
  discriminator: "0",
  global_name: "Blueprint",
  avatar: null,
  bot: true,
};

export interface FakeUser {
  readonly id: string;
  readonly username: string;
  /** Role ids the member has in the guild. */
  readonly roles?: readonly string[];
  /** The member's permission bitfield in the channel (ADMINISTRATOR is 8, MANAGE_GUILD 32). */
  readonly permissions?: string;
}

export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  /** 0 guild text, 1 DM. */
  readonly type: 0 | 1;
  /** False when the bot lacks Send Messages there (403, code 50013). */
  readonly botCanSend: boolean;
  /** A thread that was archived: posting answers 400, code 50083. */
  readonly archived?: boolean;
  /** Slow mode in seconds: a post answers 429 with code 20016 and this retry_after. */
  readonly slowmodeS?: number;
  readonly recipient?: string;
}

let sequence = 0n;
const DISCORD_EPOCH = 1420070400000n;

/** A snowflake: creation time in the top bits, as Discord's are (discord.js reads createdAt from it). */
/** A Discord id; its top bits are the creation time (ms), `at` by the fake's clock. */
export function snowflake(at: number = Date.now()): string {
  sequence = (sequence + 1n) % 4096n;
  return String(((BigInt(Math.floor(at)) - DISCORD_EPOCH) << 22n) | sequence);
}

export function userObject(user: FakeUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    discriminator: "0",
    global_name: user.username,
    avatar: null,
  };
}

export function memberObject(user: FakeUser): Record<string, unknown> {
  return {
    user: userObject(user),
    roles: [...(user.roles ?? [])],
    permissions: user.permissions ?? "0",
    joined_at: new Date(0).toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
    nick: null,
    avatar: null,
  };
}

export interface StoredMessage {
  readonly id: string;
  readonly channelId: string;
  readonly authorId: string;
  content: string;
  components: Record<string, unknown>[];
  flags: number;
  attachments: { id: string; filename: string; size: number; content: string }[];
  /** Set for ephemeral messages: only this user can see them (and press their buttons). */
  readonly ephemeralFor?: string;
  /** The interaction whose token created it (replies and follow-ups). */
  readonly interactionId?: string;
  readonly createdAt: number;
  editedAt?: number;
  /** Every content the message has shown, in order. */
  readonly history: string[];
}

export function messageObject(message: StoredMessage, guildId?: string): Record<string, unknown> {
  return {
    id: message.id,
    channel_id: message.channelId,
    ...(guildId ? { guild_id: guildId } : {}),
    type: message.interactionId ? 20 : 0,
    content: message.content,
    author: message.authorId === BOT_USER.id ? BOT_USER : { id: message.authorId, username: "someone" },
    timestamp: new Date(message.createdAt).toISOString(),
    edited_timestamp: message.editedAt ? new Date(message.editedAt).toISOString() : null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: message.attachments.map((file) => ({
      id: file.id,
      filename: file.filename,
      size: file.size,
      url: `https://cdn.invalid/${file.id}/${file.filename}`,
      proxy_url: `https://cdn.invalid/${file.id}/${file.filename}`,
    })),
    embeds: [],
    pinned: false,
    flags: message.flags,
    components: message.components,
    ...(message.interactionId ? { application_id: APPLICATION_ID, webhook_id: APPLICATION_ID } : {}),
  };
}

export function guildObject(
  channels: readonly FakeChannel[],
  roles: readonly { readonly id: string; readonly name: string }[],
): Record<string, unknown> {
  return {
    id: GUILD_ID,
    name: "Blueprint test guild",
    icon: null,
    owner_id: "1300000000000000001",
    unavailable: false,
    member_count: 3,
    large: false,
    features: [],
    emojis: [],
    stickers: [],
    members: [],
    presences: [],
    voice_states: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
    roles: [
      {
        id: GUILD_ID,
        name: "@everyone",
        permissions: "0",
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
      ...roles.map((role, index) => ({
        id: role.id,
        name: role.name,
        permissions: "0",
        position: index + 1,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      })),
    ],
    channels: channels
      .filter((channel) => channel.type === 0)
      .map((channel, position) => ({
        id: channel.id,
        type: 0,
        name: channel.name,
        position,
        permission_overwrites: [],
        nsfw: false,
        parent_id: null,
      })),
  };
}
