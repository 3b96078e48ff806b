// Secrets never ride in a URL that is written into config.yaml (an MCP server's URL, a model
// server's base URL): config.yaml is not a secret file, and URLs end up in logs and chat lines.
// A URL carrying a user name or password, or a query parameter named like a key, is refused.

/** Query parameter names that carry credentials (`api_key`, `token`, `access_token`, `sig`, …). */
const SECRET_PARAM = /key|token|secret|pass(word|wd)?|pwd|auth|sig(nature)?|credential|session/i;

/** What in the URL is a secret, in words for the refusal; undefined when there is none. */
export function urlSecret(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.username !== "" || url.password !== "") return "a user name or password before the host";
  for (const name of url.searchParams.keys())
    if (SECRET_PARAM.test(name))
      return `the query parameter '${name.replace(/[^\x20-\x7e]/g, "?").slice(0, 40)}'`;
  return undefined;
}
