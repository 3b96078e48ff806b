// One mcp_servers entry of config.yaml in Hermes' shape, as Create writes it and an edit compares it.
import type { McpServerSpec } from "../blueprint.ts";
import { mcpApiKeyEnv } from "../secrets.ts";

/** One mcp_servers entry in Hermes' shape; secrets only as ${VAR} references. */
export function mcpServerConfig(server: McpServerSpec): Record<string, unknown> {
  if (server.url !== undefined) {
    return {
      url: server.url,
      ...(server.auth === "api_key"
        ? { headers: { Authorization: `Bearer \${${mcpApiKeyEnv(server.name)}}` } }
        : {}),
      ...(server.auth === "oauth" ? { auth: "oauth" } : {}),
      enabled: true,
      ...(server.tools ? { tools: { include: [...server.tools.include] } } : {}),
    };
  }
  // Like `hermes mcp install`: `args` only when there are some.
  return {
    command: server.command,
    ...(server.args && server.args.length > 0 ? { args: server.args } : {}),
    ...(server.env && Object.keys(server.env).length > 0 ? { env: server.env } : {}),
    enabled: true,
    ...(server.tools ? { tools: { include: [...server.tools.include] } } : {}),
  };
}
