// The model part of an edit: config.yaml's model.provider / model.default / model.base_url (and
// model.context_length when the server reported one), in
// Hermes' spelling (its provider id; a base URL only for providers that take one).
import type { Blueprint } from "../blueprint.ts";
import { findProvider, hermesProviderId, type Catalog } from "../catalog.ts";
import { record, sameValue, type CurrentProfile } from "./current-profile.ts";
import { emptyPart, type PartPlan } from "./plan-parts.ts";

export function planModel(current: CurrentProfile, blueprint: Blueprint, catalog: Catalog): PartPlan {
  const plan = emptyPart();
  const wanted = blueprint.model;
  if (!wanted) return plan;
  const provider = findProvider(catalog, wanted.provider);
  if (!provider) return plan;
  const baseUrl = provider.base_url ? (wanted.base_url ?? provider.base_url.default) : undefined;
  const desired: Record<string, string | undefined> = {
    provider: hermesProviderId(provider),
    default: wanted.model,
    base_url: baseUrl,
  };
  const raw = current.config["model"];
  const model = record(raw);
  const shown = (values: Record<string, unknown>) =>
    `${typeof values["provider"] === "string" ? `${values["provider"]}/` : ""}${typeof values["default"] === "string" ? values["default"] : "not set"}`;
  if (raw !== undefined && (raw === null || typeof raw !== "object" || Array.isArray(raw))) {
    // `model: some-id` (a bare string Hermes also reads): replaced by the mapping.
    plan.config.push({ path: ["model"], value: withoutUndefined(desired) });
    plan.changes.push({
      kind: "changed",
      what: "model",
      detail: `${JSON.stringify(raw)} → ${shown(desired)}`,
    });
    return plan;
  }
  const changed: string[] = [];
  for (const key of ["provider", "default", "base_url"] as const) {
    if (sameValue(model[key], desired[key])) continue;
    plan.config.push({ path: ["model", key], value: desired[key] });
    changed.push(key);
  }
  const idChanged = changed.includes("provider") || changed.includes("default");
  // The context window the server reported for the new model; a new model without one drops the
  // old number (it described another model), an unchanged model keeps its own unless one is given.
  const contextLength = wanted.context_length ?? undefined;
  if ((idChanged || contextLength !== undefined) && !sameValue(model["context_length"], contextLength)) {
    if (model["context_length"] !== undefined || contextLength !== undefined) {
      plan.config.push({ path: ["model", "context_length"], value: contextLength });
      if (changed.length === 0)
        plan.changes.push({
          kind: "changed",
          what: "model",
          detail: `context window ${shownWindow(model["context_length"])} → ${shownWindow(contextLength)}`,
        });
    }
  }
  if (changed.length === 0) return plan;
  plan.changes.push({
    kind: raw === undefined ? "added" : "changed",
    what: "model",
    detail: [
      ...(idChanged ? [raw === undefined ? shown(desired) : `${shown(model)} → ${shown(desired)}`] : []),
      ...(changed.includes("base_url")
        ? [
            `base URL ${typeof model["base_url"] === "string" ? model["base_url"] : "none"} → ${baseUrl ?? "none"}`,
          ]
        : []),
    ].join("; "),
  });
  return plan;
}

function withoutUndefined(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Record<
    string,
    string
  >;
}

/** A window as the change line shows it: only a number is quoted (a hand-edited value may be anything). */
function shownWindow(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return `${value} tokens`;
  return value === undefined || value === null ? "not set" : "set by hand";
}
