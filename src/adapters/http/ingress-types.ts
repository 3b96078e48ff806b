// What the replicated mode's HTTP server hands a platform's endpoint and gets back: the request as
// read (method, lower-cased headers, the whole body within its bound) and the answer to write.
// Endpoints never see Node's request or response objects, so each can be tested with plain values
// and nothing but the server writes to a socket.

export interface IngressRequest {
  readonly method: string;
  /** Header names lower-cased, as Node gives them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw body: signatures are checked over these exact bytes. */
  readonly body: Buffer;
}

export interface IngressResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type IngressHandler = (request: IngressRequest) => Promise<IngressResponse>;
