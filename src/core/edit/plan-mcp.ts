// The MCP part of an edit: the file's servers are the profile's servers. A server not listed is
// removed; a listed one is added (enabled) or has the keys the bot manages brought in line (url,
// command, args, env, auth, the Authorization header, the tool filter's include) while every other
// key of it (a timeout, another header, an exclude list, `enabled: false` set by hand) stays.
// Servers the editor could not show (`kept`) are never removed.
import type { Blueprint } from "../blueprint.ts";
import { mcpServerConfig } from "./mcp-config.ts";
import { record, sameValue, type CurrentProfile } from "./current-profile.ts";
import { emptyPart, type PartPlan } from "./plan-parts.ts";

const MANAGED_KEYS = ["url", "command", "args", "env", "auth"] as const;
const NESTED_KEYS = [
  ["headers", "Authorization"],
  ["tools", "include"],
] as const;

export function planMcpServers(
  current: CurrentProfile,
  blueprint: Blueprint,
  kept: readonly string[] = [],
): PartPlan {
  const plan = emptyPart();
  const servers = record(current.config["mcp_servers"]);
  const wanted = new Set(blueprint.mcp_servers.map((server) => server.name));
  for (const name of Object.keys(servers)) {
    if (wanted.has(name) || kept.includes(name)) continue;
    plan.config.push({ path: ["mcp_servers", name], value: undefined });
    plan.changes.push({ kind: "removed", what: `MCP server '${name}'` });
  }
  for (const server of blueprint.mcp_servers) {
    const desired = mcpServerConfig(server);
    if (!(server.name in servers)) {
      plan.config.push({ path: ["mcp_servers", server.name], value: desired });
      plan.changes.push({ kind: "added", what: `MCP server '${server.name}'` });
      continue;
    }
    const existing = record(servers[server.name]);
    const changed: string[] = [];
    for (const key of MANAGED_KEYS) {
      if (sameValue(existing[key], desired[key])) continue;
      plan.config.push({ path: ["mcp_servers", server.name, key], value: desired[key] });
      changed.push(key);
    }
    for (const [outer, inner] of NESTED_KEYS) {
      const before = record(existing[outer])[inner];
      const after = record(desired[outer])[inner];
      if (sameValue(before, after)) continue;
      plan.config.push({ path: ["mcp_servers", server.name, outer, inner], value: after });
      changed.push(outer === "headers" ? "API key header" : "tool filter");
    }
    if (changed.length > 0)
      plan.changes.push({ kind: "changed", what: `MCP server '${server.name}'`, detail: changed.join(", ") });
  }
  return plan;
}
