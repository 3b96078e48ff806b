// With replicas sharing the store, a wizard waits on work only the replica that started it does
// (Create, an edit's Apply, a model list, the model's facts, a hub search): its screen has no button
// that moves it on. When that replica dies the wizard would wait forever; every replica therefore
// looks, now and then, for wizards left in such a step for longer than that work can take, and one
// of them resumes each as a restart resumes it (the `restored` event). The embedded store needs none
// of this: its one process resumes everything at start.
import type { Screen, WizardState } from "../../core/wizard/index.ts";
import type { WizardSessions } from "../ports/store.ts";
import { HERMES_SEARCH_TIMEOUT_MS } from "../hub-search/hermes-hub-search.ts";
import { CREATE_CLAIM_LEASE_MS } from "./idempotent-create.ts";

/** How often each replica looks (with ±20 % jitter, so replicas started together do not look together). */
export const STALLED_SCAN_INTERVAL_MS = 30_000;

/**
 * Create and Apply: a minute past a create's claim (another replica may take a create over only
 * once the claim, made just after the press, has lapsed), which is longer than a create with its
 * hub scans takes.
 */
export const WRITE_STALL_MS = CREATE_CLAIM_LEASE_MS + 60_000;

/** Lookups: the longest of them (a hub search, 45 s) twice over; a model list gives up in seconds. */
export const LOOKUP_STALL_MS = 2 * HERMES_SEARCH_TIMEOUT_MS;

/** Steps where the wizard waits on a write to a profile (Create, an edit's Apply). */
export const WRITE_STEPS: readonly Screen[] = ["creating", "applying"];
// Not Edit keys while its list is read: a Hermes host may take minutes to list a profile's keys, and
// resuming a live replica's wizard would forget the keys typed into it. Its owner can go Back and open
// Edit keys again, which reads the list again wherever that press lands.
const LOOKUP_STEPS: readonly Screen[] = ["model.loading", "model.checking", "skills.hub_search"];

/** Whether `state` waits on work that should have ended by `now`. */
export function isStalled(state: WizardState, now: number): boolean {
  if (WRITE_STEPS.includes(state.step)) return now - state.updatedAt > WRITE_STALL_MS;
  if (!LOOKUP_STEPS.includes(state.step)) return false;
  // The hub search step is also where its results are read, for as long as the owner likes.
  if (state.step === "skills.hub_search" && state.hubSearch?.status !== "searching") return false;
  return now - state.updatedAt > LOOKUP_STALL_MS;
}

/** The stalled wizards, fetched by step and age so the store returns only candidates. */
export async function findStalled(sessions: WizardSessions, now: number): Promise<WizardState[]> {
  const found = [
    ...(await sessions.stalled(WRITE_STEPS, now - WRITE_STALL_MS)),
    ...(await sessions.stalled(LOOKUP_STEPS, now - LOOKUP_STALL_MS)),
  ];
  return found.filter((state) => isStalled(state, now));
}
