// The look-ups outside the bot that a wizard step waits on: a model server's list of models and
// what it says about the picked one (the Model step; which inner addresses it may reach depends on who is asking) and a skills hub's
// search (the Skills step; the hub of the host the chat creates on). The runner turns each answer
// into the event that feeds it back to the wizard.
import { findProvider } from "../../core/catalog.ts";
import type { Surface } from "../../core/wizard/index.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import { addressPolicy, NO_INNER_HOSTS, type HostRules } from "../net/address-policy.ts";
import { listServerModels, type ModelListing } from "../net/model-lister.ts";
import { askModelFacts } from "../net/model-facts.ts";
import type { ModelFacts } from "../../core/model-fit.ts";
import type { Outcome } from "../ports/outcome.ts";
import type { HubSearchAnswer, HubSearcher } from "../ports/hub-searcher.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import type { Logger } from "../system/logger.ts";

export interface ModelListDeps {
  readonly library: LoadedLibrary;
  readonly modelListTimeoutMs: number;
  /** Inner addresses a chat's Model step may reach (MODEL_SERVER_HOSTS); none when absent. */
  readonly modelServerHosts?: HostRules;
  /** Test seam: answers in place of the model server. */
  readonly listModels?: (provider: string, baseUrl: string) => Promise<ModelListing>;
}

export interface HubSearchDeps {
  readonly logger: Logger;
  readonly hubSearch?: HubSearcher;
  /** With several Hermes hosts: the search of the host a chat creates on (else `hubSearch`). */
  readonly hubSearchFor?: (backend: ProfileBackend) => HubSearcher | undefined;
}

/** The policy a wizard on `surface` asks model servers under. */
function policyFor(deps: ModelListDeps, surface: Surface) {
  // The terminal wizard is the operator's own; a chat user reaches inner addresses only as allowed.
  return addressPolicy(deps.modelServerHosts ?? NO_INNER_HOSTS, { operator: surface === "console" });
}

/** What a provider's server at `baseUrl` says about `model`, asked as the model list is. */
export function modelFactsFor(
  deps: ModelListDeps,
  providerSlug: string,
  baseUrl: string,
  model: string,
  surface: Surface,
): Promise<Outcome<ModelFacts>> {
  const provider = findProvider(deps.library.catalog, providerSlug);
  if (!provider) return Promise.resolve({ ok: false, reason: "unknown provider" });
  return askModelFacts(provider, baseUrl, model, deps.modelListTimeoutMs, policyFor(deps, surface));
}

/** The models a provider's server offers at `baseUrl`, asked from the wizard on `surface`. */
export function listModelsFor(
  deps: ModelListDeps,
  providerSlug: string,
  baseUrl: string,
  surface: Surface,
): Promise<ModelListing> {
  if (deps.listModels) return deps.listModels(providerSlug, baseUrl);
  const provider = findProvider(deps.library.catalog, providerSlug);
  if (!provider) return Promise.resolve({ ok: false, reason: "unknown provider" });
  return listServerModels(provider, baseUrl, deps.modelListTimeoutMs, policyFor(deps, surface));
}

/** The hub's answer to `query`, searched where `backend` creates; a failure is logged. */
export async function searchHubOn(
  deps: HubSearchDeps,
  backend: ProfileBackend,
  query: string,
): Promise<HubSearchAnswer> {
  const searcher = deps.hubSearchFor?.(backend) ?? deps.hubSearch;
  const answer = searcher
    ? await searcher.search(query)
    : { ok: false as const, reason: "hub search is not set up in this bot" };
  if (!answer.ok) deps.logger.warn({ reason: answer.reason }, "hub search failed");
  return answer;
}
