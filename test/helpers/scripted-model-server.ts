// An OpenAI-compatible chat-completions server on loopback that answers from a script instead of a
// model, and keeps every request body it was sent: a test runs the real Hermes agent loop against
// it (test/helpers/hermes-agent-loop.ts) and then reads exactly what Hermes offered and sent.
//
// Hermes 0.19 always asks for a stream on this path (`stream: true` with
// `stream_options.include_usage`): with no display consumer it still prefers streaming for its
// stale-stream health checks. So both shapes are served: SSE chunks in OpenAI's format ending with
// `data: [DONE]` when the body asks for a stream, one JSON completion otherwise.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A request body larger than this is refused (413): the harness never needs more than a few hundred KB. */
export const MAX_REQUEST_BODY_BYTES = 4 * 1024 * 1024;

export type ScriptedReply =
  | { readonly toolCall: { readonly name: string; readonly arguments: Record<string, unknown> } }
  | { readonly text: string };

/** One POST /v1/chat/completions body as Hermes sent it (the parts tests read; the rest kept as is). */
export interface ChatRequest {
  readonly model?: string;
  readonly stream?: boolean;
  readonly messages: ChatMessage[];
  readonly tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  readonly [key: string]: unknown;
}

export interface ChatMessage {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  readonly tool_call_id?: string;
  readonly [key: string]: unknown;
}

export interface ScriptedModelServer {
  /** The OpenAI base URL, e.g. http://127.0.0.1:4242/v1. */
  readonly url: string;
  /** Every POST /v1/chat/completions body that parsed, in the order received (those answered 500 included). */
  readonly requests: ChatRequest[];
  close(): Promise<void>;
}

/** The text of the HTTP 500 once the script is used up: a test that sees it knows Hermes asked once too often. */
export const SCRIPT_RAN_OUT = "scripted model server: the script ran out of replies";

export async function startScriptedModelServer(
  script: readonly ScriptedReply[],
  model = "scripted-model",
): Promise<ScriptedModelServer> {
  const requests: ChatRequest[] = [];
  const sockets = new Set<Socket>();
  let next = 0;

  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (request.method === "GET" && path === "/v1/models")
      return sendJson(response, 200, {
        object: "list",
        data: [{ id: model, object: "model", owned_by: "test" }],
      });
    if (request.method !== "POST" || path !== "/v1/chat/completions")
      return sendJson(response, 404, { error: { message: `no route ${request.method ?? ""} ${path}` } });
    readBody(request).then(
      (raw) => {
        let body: ChatRequest;
        try {
          body = JSON.parse(raw) as ChatRequest;
        } catch {
          return sendJson(response, 400, { error: { message: "body is not JSON" } });
        }
        requests.push(body);
        const reply = script[next];
        if (reply === undefined)
          return sendJson(response, 500, { error: { message: SCRIPT_RAN_OUT, type: "server_error" } });
        next += 1;
        answer(response, body, reply, model, next);
      },
      (error: Error) => sendJson(response, 413, { error: { message: error.message } }),
    );
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        reject(new Error(`request body over ${MAX_REQUEST_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** The assistant message one scripted reply stands for, in the shape of a whole completion. */
function assistantMessage(reply: ScriptedReply, call: number) {
  if ("text" in reply) return { message: { role: "assistant", content: reply.text }, finish: "stop" };
  return {
    message: {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: `call_scripted_${call}`,
          type: "function",
          function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) },
        },
      ],
    },
    finish: "tool_calls",
  };
}

const USAGE = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };

function answer(
  response: ServerResponse,
  body: ChatRequest,
  reply: ScriptedReply,
  model: string,
  call: number,
): void {
  const id = `chatcmpl-scripted-${call}`;
  const created = Math.floor(Date.now() / 1000);
  const { message, finish } = assistantMessage(reply, call);
  if (body.stream !== true) {
    return sendJson(response, 200, {
      id,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message, finish_reason: finish }],
      usage: USAGE,
    });
  }
  response.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    response.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices, ...extra })}\n\n`,
    );
  // The delta carries the whole message at once (tool calls with their index, as OpenAI streams them).
  const delta =
    "tool_calls" in message
      ? {
          role: "assistant",
          tool_calls: message.tool_calls.map((toolCall, index) => ({ index, ...toolCall })),
        }
      : { role: "assistant", content: message.content };
  chunk([{ index: 0, delta, finish_reason: null }]);
  chunk([{ index: 0, delta: {}, finish_reason: finish }]);
  const options = body["stream_options"] as { include_usage?: boolean } | undefined;
  if (options?.include_usage === true) chunk([], { usage: USAGE });
  response.end("data: [DONE]\n\n");
}
