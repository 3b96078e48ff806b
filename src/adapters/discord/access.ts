// Who may use the bot on Discord: DISCORD_ALLOWED_USERS by user id, DISCORD_ALLOWED_ROLES by the
// member's roles in the server (never in DMs, where there is no member). Admin commands also need
// Manage Server in the channel's server.
import { GuildMember, PermissionFlagsBits, type BaseInteraction } from "discord.js";

export interface DiscordAccess {
  readonly allowedUsers: ReadonlySet<string>;
  readonly allowedRoles: ReadonlySet<string>;
}

/** Role ids of the member behind an interaction: a cached GuildMember, or the raw API member. */
function memberRoles(interaction: BaseInteraction): string[] {
  const member = interaction.member;
  if (!member) return [];
  if (member instanceof GuildMember) return [...member.roles.cache.keys()];
  return Array.isArray(member.roles) ? member.roles : [];
}

export function isAllowed(access: DiscordAccess, interaction: BaseInteraction): boolean {
  if (access.allowedUsers.has(interaction.user.id)) return true;
  return memberRoles(interaction).some((role) => access.allowedRoles.has(role));
}

export function isServerAdmin(interaction: BaseInteraction): boolean {
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

export function refusalFor(interaction: BaseInteraction): string {
  return `You are not allowed to use this bot. Ask an admin to add your user id ${interaction.user.id} to DISCORD_ALLOWED_USERS (or give you a role listed in DISCORD_ALLOWED_ROLES).`;
}
