// The body of POST /projects as the real server's request model checks it: three strings, no other
// field (an unknown one is FastAPI's 422 `extra_forbidden`, not ignored).

const FIELDS = ["project_id", "title", "owner_id"] as const;

export type ProjectFields = Record<(typeof FIELDS)[number], string>;

/** The fields, or FastAPI's 422 `detail` list. */
export function checkProjectBody(
  contentType: string,
  text: string,
): { fields: ProjectFields } | { errors: Record<string, unknown>[] } {
  if (text.trim() === "")
    return { errors: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] };
  const json = contentType === "" || /[/+]json\b/i.test(contentType);
  let body: unknown = text;
  if (json) {
    try {
      body = JSON.parse(text) as unknown;
    } catch (error) {
      return {
        errors: [
          {
            type: "json_invalid",
            loc: ["body", 0],
            msg: "JSON decode error",
            input: {},
            ctx: { error: (error as Error).message },
          },
        ],
      };
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return {
      errors: [
        {
          type: "model_attributes_type",
          loc: ["body"],
          msg: "Input should be a valid dictionary or object to extract fields from",
          input: body,
        },
      ],
    };
  const record = body as Record<string, unknown>;
  const errors: Record<string, unknown>[] = [];
  for (const field of FIELDS) {
    if (!(field in record))
      errors.push({ type: "missing", loc: ["body", field], msg: "Field required", input: record });
    else if (typeof record[field] !== "string")
      errors.push({
        type: "string_type",
        loc: ["body", field],
        msg: "Input should be a valid string",
        input: record[field],
      });
  }
  for (const [key, value] of Object.entries(record))
    if (!(FIELDS as readonly string[]).includes(key))
      errors.push({
        type: "extra_forbidden",
        loc: ["body", key],
        msg: "Extra inputs are not permitted",
        input: value,
      });
  if (errors.length > 0) return { errors };
  return { fields: record as ProjectFields };
}
