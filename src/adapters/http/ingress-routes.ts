// What the replicated mode's HTTP server answers, and nothing else: each path with its one method.
// The platform endpoints are mounted only when given (Telegram in webhook mode, Discord with HTTP
// interactions); the health checks are always there.
import type { IngressHandler } from "./ingress-types.ts";
import { readinessAnswer } from "./readiness.ts";

export const INGRESS_PATHS = {
  telegram: "/telegram",
  discordInteractions: "/discord/interactions",
  /** The process is alive (a load balancer's liveness probe). */
  health: "/healthz",
  /** The process can serve: what it depends on (the store, the install queue) answers. */
  ready: "/readyz",
} as const;

export interface IngressEndpoints {
  /** Telegram updates (webhook mode). */
  readonly telegram?: IngressHandler;
  /** Discord's Interactions Endpoint URL (HTTP interactions mode). */
  readonly discordInteractions?: IngressHandler;
  /** Whether the store and the install queue are reachable; bounded by READY_CHECK_TIMEOUT_MS. */
  readonly ready: () => Promise<boolean>;
}

export interface IngressRoute {
  readonly method: "GET" | "POST";
  /** POST routes are handed the body (read within INGRESS_BODY_MAX_BYTES); GET routes are not. */
  readonly handler: IngressHandler;
}

export type RouteMatch =
  | { readonly kind: "found"; readonly route: IngressRoute }
  | { readonly kind: "no-such-path" }
  | { readonly kind: "wrong-method"; readonly allow: string };

const alive: IngressHandler = () =>
  Promise.resolve({ status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: "ok\n" });

export function ingressRoutes(endpoints: IngressEndpoints): ReadonlyMap<string, IngressRoute> {
  const routes = new Map<string, IngressRoute>([
    [INGRESS_PATHS.health, { method: "GET", handler: alive }],
    [INGRESS_PATHS.ready, { method: "GET", handler: () => readinessAnswer(endpoints.ready) }],
  ]);
  if (endpoints.telegram) routes.set(INGRESS_PATHS.telegram, { method: "POST", handler: endpoints.telegram });
  if (endpoints.discordInteractions)
    routes.set(INGRESS_PATHS.discordInteractions, { method: "POST", handler: endpoints.discordInteractions });
  return routes;
}

/** The route for a request line; the query string is no part of the path. */
export function matchRoute(
  routes: ReadonlyMap<string, IngressRoute>,
  method: string,
  url: string,
): RouteMatch {
  const route = routes.get(url.split("?")[0] ?? "");
  if (!route) return { kind: "no-such-path" };
  if (route.method !== method) return { kind: "wrong-method", allow: route.method };
  return { kind: "found", route };
}
