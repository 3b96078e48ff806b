// Which profile a chat command means: the one it names, else the one the chat was bound to with
// /profile use. /profile use (which makes the binding) and the /persona commands (which act on it)
// both resolve a name here, so they accept, refuse and word a profile the same way.
import { refusal, type Reply } from "../../core/reply.ts";
import type { Surface } from "../../core/wizard/state.ts";
import type { ProfileBackend, ProfileRef } from "../ports/profile-backend.ts";
import type { ChatBindings } from "../ports/store.ts";

/** The profile a command acts on; `bound` when it came from the chat's binding, not the command. */
export interface ChatProfile {
  readonly name: ProfileRef;
  readonly bound: boolean;
}

/** The key a chat's binding is stored under: one binding per chat on each surface. */
export function chatKey(ctx: { surface: Surface; chat: string }): string {
  return `${ctx.surface}:${ctx.chat}`;
}

/**
 * The named profile, or the chat's bound one when none is named; refused when neither is there,
 * the name is not a valid one, or no such profile exists where the backend keeps them.
 */
export async function chatProfile(
  backend: ProfileBackend,
  store: ChatBindings,
  ctx: { surface: Surface; chat: string },
  profile: string | undefined,
  example = "/persona apply <id> research-bot",
): Promise<ChatProfile | { refused: Reply }> {
  let name = profile;
  let bound = false;
  if (name === undefined) {
    const binding = await store.binding(chatKey(ctx));
    if (!binding)
      return {
        refused: refusal(
          `Name a profile (e.g. ${example}), or bind this chat first with /profile use <name>.`,
        ),
      };
    name = binding.profile;
    bound = true;
  }
  const resolved = backend.resolve(name);
  if (!resolved.ok) return { refused: refusal(resolved.reason) };
  const found = await backend.exists(resolved.value);
  if (!found.ok) return { refused: refusal(found.reason) };
  if (!found.value)
    return {
      refused: refusal(
        `There is no profile ${shownProfile(backend, resolved.value)}. Create it with /profile new, or check the name.`,
      ),
    };
  return { name: resolved.value, bound };
}

/** A profile for replies: 'name', and where it is when that is not this machine. */
export function shownProfile(backend: ProfileBackend, ref: ProfileRef): string {
  const { name, on } = backend.where(ref);
  return `'${name}'${on}`;
}
