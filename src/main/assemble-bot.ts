// The bot put together from a loaded setup and adapter factories: open the store, clear what a
// crash left, build the services and the chat runtime, attach the adapters, resume wizards, run.
import path from "node:path";
import type { AdapterName } from "../app/system/config.ts";
import { EXIT, StartupError } from "../app/system/exit.ts";
import type { Setup } from "./load-setup.ts";
import { DashboardClient } from "../app/hermes/dashboard-client.ts";
import { HubSearch } from "../app/hub-search/hub-search.ts";
import { openHub } from "../app/install/hub-source.ts";
import { BUNDLED_HUB_DIR } from "../app/install/install-command.ts";
import { HubPrescanner, type ScanOne } from "../app/install/hub-prescan.ts";
import { scanWithHermes } from "../app/install/hermes-skill-scan.ts";
import { scanFromBundledHub } from "../app/install/bundled-skill-scan.ts";
import { sweepStaging } from "../app/profile/profiles-root.ts";
import { openBackend } from "./open-backend.ts";
import { isGroupFinished } from "../core/install/install-job.ts";
import { CommandRouter } from "../app/runtime/command-router.ts";
import { OPEN_ACCESS } from "../app/ports/command-context.ts";
import { ProfileService } from "../app/profile/profile-service.ts";
import { PersonaService } from "../app/persona/persona-service.ts";
import type { Store } from "../app/ports/store.ts";
import { openStore } from "./open-store.ts";
import { WizardRunner } from "../app/runtime/wizard-runner.ts";
import { BotRuntime } from "../app/runtime/bot-runtime.ts";
import { STALLED_SCAN_INTERVAL_MS } from "../app/runtime/stalled-wizards.ts";
import { SkillKeysNote } from "../app/install/skill-keys-note.ts";
import { openInstallJobs } from "./open-install-jobs.ts";
import { ProgressReporter } from "../app/install/progress-reporter.ts";
import type { ChatRuntime } from "../app/ports/chat-runtime.ts";
import type { WizardOutput } from "../app/ports/wizard-output.ts";
import type { IngressHandler } from "../adapters/http/ingress-types.ts";
import { startIngressServer, type IngressServer } from "../adapters/http/ingress-server.ts";

/**
 * The bundled installer's hub as a folder to index: BLUEPRINT_HUB (a git repository is cloned
 * once, on the first search, and kept while the bot runs), else library/hub.
 */
function bundledHubRoot(config: Setup["config"]): Promise<string> {
  return openHub(config.hubSource, BUNDLED_HUB_DIR).then((hub) => hub.root);
}

/**
 * The scan before Create, by whoever installs: the Hermes beside the bot (its own scanner), else
 * the bundled installer's. None with INSTALL_COMMAND (the bot cannot know what that command
 * refuses) or a Hermes host (it scans with its own, which its dashboard does not offer before an
 * install; the wizard context leaves scans out for profiles made there).
 */
function prescanFor(setup: Setup, onDone: (identifier: string) => void): { prescan?: HubPrescanner } {
  const { config, logger } = setup;
  if (config.installCommand || config.remoteHermes) return {};
  const hermes = setup.hermes;
  // One hub for every scan (a file:// git hub is cloned once, not per scan).
  let hubRoot: Promise<string> | undefined;
  const scanOne: ScanOne = hermes
    ? (identifier) =>
        scanWithHermes(identifier, {
          hermesBin: hermes.bin,
          env: setup.env,
          timeoutMs: config.installTimeoutMs,
        })
    : async (identifier) => scanFromBundledHub(identifier, await (hubRoot ??= bundledHubRoot(config)));
  const onError = (identifier: string, error: unknown) =>
    logger.warn({ identifier, error: String(error) }, "the scan before Create failed");
  return { prescan: new HubPrescanner(scanOne, { onDone, onError }) };
}

/** How often abandoned wizards are swept while the bot runs. */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** An adapter the bot can run: it shows wizards and statuses (attached here); `run` resolves when it stops. */
export interface RunnableAdapter extends WizardOutput {
  run(): Promise<void>;
  /** Ends `run` (graceful stop on SIGINT/SIGTERM). */
  stop?(): Promise<void>;
  /** Its endpoint on the HTTP server, when updates reach it over HTTP (Telegram's webhook mode). */
  readonly ingress?: IngressHandler;
}

export type AdapterFactories = Partial<Record<AdapterName, (runtime: ChatRuntime) => RunnableAdapter>>;

/** A started bot: its parts (for the doctor and tests), a graceful stop, and its end. */
export interface RunningBot {
  readonly setup: Setup;
  /** What the adapters call (tests drive it the same way). */
  readonly runtime: BotRuntime;
  readonly runner: WizardRunner;
  readonly store: Store;
  readonly personas: PersonaService;
  readonly adapters: readonly RunnableAdapter[];
  /** The HTTP server, when an adapter takes its updates over HTTP: where it listens (the port bound). */
  readonly http?: { readonly host: string; readonly port: number };
  /** Stops every adapter (confirming offsets, finishing answers) and flushes the store. */
  readonly stop: () => Promise<void>;
  /** Resolves with the exit code once every adapter has stopped and the store is flushed. */
  readonly done: Promise<number>;
}

export async function assembleBot(
  setup: Setup,
  factories: AdapterFactories,
  options: { now?: () => number } = {},
): Promise<RunningBot> {
  const { config, logger, library } = setup;
  const missing = config.adapters.filter((name) => !factories[name]);
  if (missing.length > 0)
    throw new StartupError(
      `The ${missing.join(" and ")} adapter is not part of this version yet. Set BLUEPRINT_ADAPTERS=console (or unset the platform tokens) to use the terminal wizard.`,
      EXIT.environment,
    );
  const backend = openBackend(setup);
  if (!backend.host) {
    const swept = await sweepStaging(config.profilesRoot);
    if (swept.length > 0) logger.warn({ swept }, "removed staging folders left by an interrupted create");
  } else logger.info({ hermes: backend.host }, "profiles are made on the Hermes host through its dashboard");

  let store: Store;
  try {
    store = await openStore(config, logger);
  } catch (error) {
    throw new StartupError((error as Error).message, EXIT.environment);
  }
  const now = options.now ? { now: options.now } : {};
  const personas = await PersonaService.open({
    store,
    backend,
    personasDir: path.join(config.libraryDir, "personas"),
    logger,
    ...now,
  });
  const profiles = new ProfileService({
    store,
    backend,
    logger,
    installing: async (profile) =>
      (await store.allInstallGroups()).some((group) => group.profile === profile && !isGroupFinished(group)),
    ...now,
  });
  const commands = new CommandRouter(personas, OPEN_ACCESS, profiles);
  // The search of whoever installs the hits: the Hermes host, the Hermes beside the bot, or our hub.
  const hubSearch = config.remoteHermes
    ? HubSearch.forDashboard(new DashboardClient({ ...config.remoteHermes, secrets: setup.secrets }))
    : setup.hermes
      ? HubSearch.forHermes(setup.hermes.bin, setup.env)
      : HubSearch.forBundledHub(() => bundledHubRoot(config));
  // With several hosts, each chat searches the host it creates on.
  const hostSearches = new Map(
    (config.hermesHosts ?? []).map((host) => [
      host.name,
      HubSearch.forDashboard(new DashboardClient({ ...host, secrets: setup.secrets })),
    ]),
  );
  // Hub installs after Create: one queue, its status messages kept up to date on each surface.
  const clock = options.now ?? Date.now;
  const reporter = new ProgressReporter({
    portFor: (surface) => runner.outputFor(surface),
    minIntervalMs: config.progressMinIntervalMs,
    logger,
    now: clock,
    onMessage: (groupId, ref) => installs.keepMessageRef(groupId, ref),
  });
  const skillKeys = new SkillKeysNote({
    keys: (profile) => backend.keys(profile),
    store,
    onNoted: (group) => reporter.update(group),
  });
  // With replicas (the Postgres store), installs go through pg-boss in the same database.
  const installs = await openInstallJobs({
    databaseUrl: config.databaseUrl,
    host: backend.host ?? "this machine",
    delivered: (groupId) => reporter.delivered(groupId),
    store,
    executor: backend.installs,
    concurrency: config.installConcurrency,
    timeoutMs: config.installTimeoutMs,
    logger,
    secrets: setup.secrets,
    now: clock,
    onChange: (group) => {
      reporter.update(group);
      void skillKeys.check(group);
    },
  });
  const runner: WizardRunner = new WizardRunner({
    hubSearch,
    ...prescanFor(
      setup,
      (identifier) =>
        void runner
          .hubScanned(identifier)
          .catch((error: unknown) => logger.warn({ reason: String(error) }, "showing a scan result failed")),
    ),
    ...(hostSearches.size > 0
      ? { hubSearchFor: (target: { host?: string }) => hostSearches.get(target.host ?? "") }
      : {}),
    personas,
    profiles,
    store,
    library,
    logger,
    secrets: setup.secrets,
    backend,
    modelListTimeoutMs: config.modelListTimeoutMs,
    modelServerHosts: config.modelServerHosts,
    installs,
    ...now,
  });
  const runtime = new BotRuntime({
    wizards: runner,
    commands,
    store,
    personas,
    profiles,
    installs,
    reporter,
    logger,
    ...now,
  });
  const adapters: RunnableAdapter[] = [];
  const ingress: { telegram?: IngressHandler; discordInteractions?: IngressHandler } = {};
  for (const name of config.adapters) {
    const adapter = factories[name]?.(runtime);
    if (!adapter) continue;
    runtime.attach(name, adapter);
    adapters.push(adapter);
    if (adapter.ingress && name === "telegram") ingress.telegram = adapter.ingress;
    if (adapter.ingress && name === "discord") ingress.discordInteractions = adapter.ingress;
  }
  await runner.sweepExpired(config.sessionTtlMs);
  // One process alone (the embedded store): everything stored was left by its previous run, so
  // interrupted installs are settled and open wizards told. With replicas sharing the store, what is
  // stored belongs to the replicas still running: a replica starting (a rolling deploy) leaves it.
  if (!store.shared) await runtime.restoreAll();
  // Replicas: a Create or Apply pressed on another replica than the one holding its typed keys comes here.
  else runner.listenForHandoffs();
  // Listening before the adapters run: the webhook is set only once its endpoint can answer.
  const server = await startHttp(setup, ingress, store);
  const sweeper = setInterval(
    () =>
      void runner
        .sweepExpired(config.sessionTtlMs)
        .catch((error: unknown) => logger.warn({ reason: String(error) }, "sweep of expired wizards failed")),
    SWEEP_INTERVAL_MS,
  );
  sweeper.unref();
  // Replicas: wizards a stopped replica left waiting on its work are resumed by one of the others.
  const resumer = store.shared
    ? setInterval(
        () =>
          void runner
            .resumeStalled()
            .catch((error: unknown) =>
              logger.warn({ reason: String(error) }, "resuming stalled wizards failed"),
            ),
        STALLED_SCAN_INTERVAL_MS * (0.8 + 0.4 * Math.random()),
      )
    : undefined;
  resumer?.unref();
  let stopping: Promise<void> | undefined;
  // The HTTP server first: it takes no new request, and the ones being answered finish; then the
  // adapters drain what is still running; then the store is written.
  const stop = () =>
    (stopping ??= (server?.stop() ?? Promise.resolve())
      .then(() => runner.stopHandoffs())
      .then(() => Promise.allSettled(adapters.map((adapter) => adapter.stop?.() ?? Promise.resolve())))
      .then(() => installs.stop())
      .then(() => store.flush()));
  const done = (async () => {
    try {
      await Promise.all(adapters.map((adapter) => adapter.run()));
    } catch (error) {
      // One adapter failed for good (e.g. Discord refused the token): the others stop too, so the
      // process ends with the reason instead of running half deaf.
      await stop();
      throw error;
    } finally {
      clearInterval(sweeper);
      clearInterval(resumer);
      await server?.stop();
      await installs.stop();
      await store.close();
    }
    return EXIT.ok;
  })();
  const http = server ? { http: { host: config.http.host, port: server.port } } : {};
  return { setup, runtime, runner, store, personas, adapters, ...http, stop, done };
}

/**
 * The HTTP server, started only when an adapter takes its updates over HTTP; none otherwise (the
 * embedded default listens on nothing). An address it cannot listen on stops the start.
 */
async function startHttp(
  setup: Setup,
  endpoints: { telegram?: IngressHandler; discordInteractions?: IngressHandler },
  store: Store,
): Promise<IngressServer | undefined> {
  if (!endpoints.telegram && !endpoints.discordInteractions) return undefined;
  const { config, logger } = setup;
  const started = await startIngressServer({
    ...config.http,
    ...endpoints,
    // Ready while the store answers (Postgres reachable; the embedded one always is): a replica
    // whose store is away is taken out of the load balancer instead of failing every request.
    ready: () => store.ready(),
    logger,
  });
  if (!started.ok) {
    await store.close();
    throw new StartupError(`HTTP server: ${started.reason}.`, EXIT.environment);
  }
  logger.info({ host: config.http.host, port: started.server.port }, "HTTP server listening");
  return started.server;
}
