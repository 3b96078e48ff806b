// The one shape of an app-level answer that can fail: a value, or a reason a person can read (it
// is shown as it is, so it names what went wrong and what to do). Every port and service that
// answers "this, or why not" returns it. Kept apart on purpose: answers that are already what a
// chat shows are a `Reply` (core/reply.ts); pure rules fail with the core's coded `Result`
// (core/result.ts); the dashboard client's failures stay structured (hermes/dashboard-failures.ts)
// because callers decide retries and recovery by their kind; configuration reports every problem
// at once (system/config.ts).
export type Outcome<T> =
  /** `notes`: what went wrong on the way without spoiling the answer (one host of several down). */
  | { readonly ok: true; readonly value: T; readonly notes?: readonly string[] }
  | { readonly ok: false; readonly reason: string };
