// Finds the uploaded YAML in a request body as the real server's framework (FastAPI over Starlette)
// does for a `file: UploadFile` form parameter: the multipart part named `file` that has a file
// name (its content type and the name itself are ignored); the last one when several are sent.
// Multipart is parsed here rather than with undici's `Response#formData`, which reads a part with
// an empty file name (`filename=""`) as text: Starlette, like the real server, takes it as a file.

export type UploadField =
  | { readonly kind: "file"; readonly bytes: Uint8Array }
  /** FastAPI's 422 item for this request. */
  | { readonly kind: "invalid"; readonly detail: Record<string, unknown> }
  /** A multipart body that cannot be parsed: Starlette answers 400 with this detail. */
  | { readonly kind: "unparsable"; readonly detail: string };

const MISSING = { type: "missing", loc: ["body", "file"], msg: "Field required", input: null };

export function readUploadField(contentType: string, body: Buffer): UploadField {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  let value: string | Uint8Array | undefined;
  if (type === "multipart/form-data") {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    if (!boundary) return { kind: "unparsable", detail: "Missing boundary in multipart." };
    const parts = parseMultipart(body, boundary[1] ?? boundary[2] ?? "");
    if (!parts) return { kind: "unparsable", detail: "There was an error parsing the body" };
    const part = parts.filter((candidate) => candidate.name === "file").at(-1);
    value = part && (part.isFile ? part.bytes : part.bytes.toString("utf8"));
  } else if (type === "application/x-www-form-urlencoded") {
    value = new URLSearchParams(body.toString("utf8")).getAll("file").at(-1);
  } else {
    // A raw YAML (or JSON) body is not a form: Starlette reads an empty one.
    return { kind: "invalid", detail: MISSING };
  }
  // FastAPI reads an empty form value as absent.
  if (value === undefined || value === "") return { kind: "invalid", detail: MISSING };
  if (typeof value === "string")
    // A plain form field (no file name) is a str, which UploadFile's validator refuses.
    return {
      kind: "invalid",
      detail: {
        type: "value_error",
        loc: ["body", "file"],
        msg: "Value error, Expected UploadFile, received: <class 'str'>",
        input: value,
        ctx: { error: {} },
      },
    };
  return { kind: "file", bytes: value };
}

interface Part {
  readonly name: string;
  /** The part has a `filename` parameter (even an empty one): an UploadFile. */
  readonly isFile: boolean;
  readonly bytes: Buffer;
}

/** The parts of a multipart body, or undefined when it is malformed. */
function parseMultipart(body: Buffer, boundary: string): Part[] | undefined {
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  const parts: Part[] = [];
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === "--") return parts;
    if (body.subarray(at, at + 2).toString() !== "\r\n") return undefined;
    const headersEnd = body.indexOf("\r\n\r\n", at + 2);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), at);
    if (headersEnd < 0 || next < 0 || headersEnd > next) return undefined;
    const headers = body.subarray(at + 2, headersEnd).toString("utf8");
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? "";
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return undefined;
    parts.push({
      name,
      isFile: /;\s*filename\*?=/i.test(disposition),
      bytes: body.subarray(headersEnd + 4, next),
    });
    at = next + 2;
  }
}
