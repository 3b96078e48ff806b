// Expected failures cross module borders as values, never as exceptions: a throw is a bug.
import type { ErrorCode } from "./messages.ts";

export interface Problem {
  readonly code: ErrorCode;
  /** Where in the input the problem is, e.g. `mcp_servers[1].url` (blueprint files, forms). */
  readonly path?: string;
  /** Values the message template fills in (never a secret). */
  readonly params?: Readonly<Record<string, string | number>>;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Problem };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, params?: Problem["params"], path?: string): Result<never> {
  const error: Problem = { code, ...(params ? { params } : {}), ...(path !== undefined ? { path } : {}) };
  return { ok: false, error };
}
