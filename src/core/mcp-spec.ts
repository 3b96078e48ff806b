// Turns an MCP catalog manifest into the blueprint's server entry, and a typed "URL or command
// line" into a custom one. Secrets appear only as ${VAR} references.
import type { McpServerSpec } from "./blueprint.ts";
import type { McpManifest } from "./catalog.ts";
import { MCP_ARG_MAX_CHARS, MCP_ARGS_MAX, URL_MAX_CHARS } from "./limits.ts";
import { hasDisallowedChars } from "./text-rules.ts";

export function specFromManifest(manifest: McpManifest): McpServerSpec {
  // Hermes, when it cannot ask the server for its tools (no network at install), enables exactly
  // the manifest's default tools: the bot never asks, so it always writes that filter.
  const include = manifest.tools?.default_enabled;
  const tools = include ? { tools: { include: [...include] } } : {};
  if (manifest.transport.type === "http") {
    return { name: manifest.name, url: manifest.transport.url, auth: manifest.auth.type, ...tools };
  }
  // The manifest's fixed variables, then each credential as a ${VAR} reference: Hermes starts a
  // stdio server with only safe variables plus this block, so a key left out never reaches it.
  const env = {
    ...manifest.transport.env,
    ...Object.fromEntries(
      manifest.auth.env.map((variable) => [variable.server_env ?? variable.name, `\${${variable.name}}`]),
    ),
  };
  return {
    name: manifest.name,
    command: manifest.transport.command,
    args: [...manifest.transport.args],
    ...(Object.keys(env).length > 0 ? { env } : {}),
    auth: manifest.auth.type,
    ...tools,
  };
}

export type CustomTarget =
  { kind: "url"; url: string } | { kind: "command"; command: string; args: string[] };

/**
 * Reads what a user typed for a custom server: an http(s) URL, or a command line split on spaces
 * (no shell quoting: the command runs as an argument array, so there is nothing to quote).
 */
export function parseCustomTarget(text: string): CustomTarget | undefined {
  const trimmed = text.trim();
  if (trimmed === "" || hasDisallowedChars(trimmed)) return undefined;
  if (/^https?:\/\//i.test(trimmed)) {
    if (/\s/.test(trimmed) || trimmed.length > URL_MAX_CHARS) return undefined;
    return { kind: "url", url: trimmed };
  }
  const [command, ...args] = trimmed.split(/\s+/);
  if (
    !command ||
    args.length > MCP_ARGS_MAX ||
    [command, ...args].some((part) => part.length > MCP_ARG_MAX_CHARS)
  ) {
    return undefined;
  }
  return { kind: "command", command, args };
}
