// Expected failures cross module borders as values, never as exceptions: a throw is a bug.
import type { ErrorCode, Problem } from "./messages.ts";

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Problem };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, params?: Problem["params"], path?: string): Result<never> {
  const error: Problem = { code, ...(params ? { params } : {}), ...(path !== undefined ? { path } : {}) };
  return { ok: false, error };
}
