// Several targets by name: Hermes hosts (HERMES_HOSTS), and beside them a CommonGround project
// (COMMONGROUND_URL, named `cg` unless COMMONGROUND_NAME says otherwise) or this machine's Hermes
// home (`local`). Each is a backend of its own, and a profile is named `<target>:<name>` — a target's
// name never holds a colon, so the ref is unambiguous. A name typed without a target means the first. A chat's wizard creates on the host of the
// profile the chat is bound to (`/profile use lab:default` picks a host without picking a profile),
// else on the first host; installs, persona commands and deletions follow the ref to its host.
import type { Blueprint } from "../../core/blueprint.ts";
import type { CreateReport } from "../../core/create-report.ts";
import type { InstallEnd, InstallExecutor, InstallIo, InstallRequest } from "../ports/install-executor.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";
import type {
  BlueprintPart,
  ChatTarget,
  ProfileBackend,
  ProfileConfig,
  ProfileFacts,
  ProfileKeys,
  ProfileRef,
} from "../ports/profile-backend.ts";
import type { EditApplied, EditRead, EditRequest } from "../ports/profile-edit.ts";
import type { Outcome } from "../ports/outcome.ts";
import type { PersonasPluginFiles } from "../ports/personas-plugin-files.ts";

export class HostRouter implements ProfileBackend {
  readonly host: string;
  readonly cannotSet: readonly BlueprintPart[] = ["display_name"];
  readonly installs: InstallExecutor;
  readonly #hosts: ReadonlyMap<string, ProfileBackend>;
  readonly #first: string;

  /** The personas plugin of a profile on a target that can place it (this machine's only). */
  readonly personasPlugin: PersonasPluginFiles;

  /** `hosts` in the configured order: the first is where an unqualified name points. */
  constructor(hosts: ReadonlyMap<string, ProfileBackend>) {
    const first = [...hosts.keys()][0];
    if (first === undefined) throw new Error("bug: a host router needs at least one host");
    this.#hosts = hosts;
    this.#first = first;
    this.host = [...hosts.keys()].join(", ");
    this.installs = new RoutedInstalls(this);
    const cannot = (ref: ProfileRef) => ({
      ok: false as const,
      reason: `${this.split(ref).host} cannot hold the personas plugin: only a Hermes home on this machine can (a host's dashboard cannot place a plugin).`,
    });
    this.personasPlugin = {
      drift: (ref, personas) => {
        const { backend, name } = this.#route(ref);
        return backend.personasPlugin?.drift(name, personas) ?? Promise.resolve(cannot(ref));
      },
      place: (ref, personas, defaultPersona) => {
        const { backend, name } = this.#route(ref);
        return backend.personasPlugin?.place(name, personas, defaultPersona) ?? Promise.resolve(cannot(ref));
      },
      remove: (ref) => {
        const { backend, name } = this.#route(ref);
        return backend.personasPlugin?.remove(name) ?? Promise.resolve(cannot(ref));
      },
    };
  }

  /** The targets by name, in order (to add another beside them). */
  targets(): [string, ProfileBackend][] {
    return [...this.#hosts];
  }

  resolve(raw: string): Outcome<ProfileRef> {
    const at = raw.indexOf(":");
    const hostName = at >= 0 ? raw.slice(0, at).trim().toLowerCase() : this.#first;
    if (!this.#hosts.has(hostName)) {
      // Hermes hosts alone keep their own words; with CommonGround beside them they are targets.
      const hostsOnly = ![...this.#hosts.values()].some((backend) => backend.commonground);
      const [one, many, placeholder] = hostsOnly
        ? ["Hermes host", "Hosts", "host"]
        : ["target", "Targets", "target"];
      return {
        ok: false,
        reason: `There is no ${one} '${hostName.slice(0, 32)}'. ${many}: ${this.host} (write <${placeholder}>:<profile>).`,
      };
    }
    // Each target has its own name rule (Hermes' names, or CommonGround's freer ones).
    const name = this.#backend(hostName).resolve(at >= 0 ? raw.slice(at + 1) : raw);
    return name.ok ? { ok: true, value: `${hostName}:${name.value}` } : name;
  }

  where(ref: ProfileRef) {
    const { host, name } = this.split(ref);
    return { name, on: ` on ${host}` };
  }

  forChat(boundRef: ProfileRef | undefined): ChatTarget {
    const host = boundRef ? this.split(boundRef).host : this.#first;
    const backend = this.#hosts.get(host) ?? this.#backend(this.#first);
    return { backend, refOf: (name) => `${host}:${name}` };
  }

  /** Every host listed at once; a host that fails is named in a note, the others still answer. */
  async names(): Promise<Outcome<string[]>> {
    const listed = await Promise.all(
      [...this.#hosts].map(async ([host, backend]) => ({ host, listed: await backend.names() })),
    );
    const failed = listed.flatMap(({ host, listed: answer }) =>
      answer.ok ? [] : [`${host}: ${answer.reason}`],
    );
    if (failed.length === listed.length) return { ok: false, reason: failed.join("\n") };
    // Each host's own notes (entries it listed that are not profile names) are kept too.
    const notes = [
      ...listed.flatMap(({ listed: answer }) => (answer.ok ? (answer.notes ?? []) : [])),
      ...failed.map((line) => `(not listed — ${line})`),
    ];
    return {
      ok: true,
      value: listed.flatMap(({ host, listed: answer }) =>
        answer.ok ? answer.value.map((name) => `${host}:${name}`) : [],
      ),
      ...(notes.length > 0 ? { notes } : {}),
    };
  }

  exists(ref: ProfileRef): Promise<Outcome<boolean>> {
    const { backend, name } = this.#route(ref);
    return backend.exists(name);
  }

  facts(ref: ProfileRef): Promise<Outcome<ProfileFacts>> {
    const { backend, name } = this.#route(ref);
    return backend.facts(name);
  }

  keys(ref: ProfileRef): Promise<Outcome<ProfileKeys>> {
    const { backend, name } = this.#route(ref);
    return backend.keys(name);
  }

  readForEdit(ref: ProfileRef): Promise<Outcome<EditRead>> {
    const { backend, name } = this.#route(ref);
    return backend.readForEdit(name);
  }

  applyEdit(ref: ProfileRef, request: EditRequest): Promise<Outcome<EditApplied>> {
    const { backend, name } = this.#route(ref);
    return backend.applyEdit(name, request);
  }

  undoEdit(ref: ProfileRef, fingerprint: string): Promise<Outcome<string[]>> {
    const { backend, name } = this.#route(ref);
    return backend.undoEdit(name, fingerprint);
  }

  remove(ref: ProfileRef): Promise<Outcome<true>> {
    const { backend, name } = this.#route(ref);
    return backend.remove(name);
  }

  readConfig(ref: ProfileRef): Promise<Outcome<ProfileConfig>> {
    const { backend, name } = this.#route(ref);
    return backend.readConfig(name);
  }

  writeConfig(ref: ProfileRef, config: ProfileConfig): Promise<Outcome<true>> {
    const { backend, name } = this.#route(ref);
    return backend.writeConfig(name, config);
  }

  /** A create without a chat (`create --from`) goes to the first host; chats create through `forChat`. */
  create(
    blueprint: Blueprint,
    secrets: ReadonlyMap<string, string>,
    personas: PersonaLookup | undefined,
  ): Promise<CreateReport> {
    return this.#backend(this.#first).create(blueprint, secrets, personas);
  }

  /** A ref's host and Hermes name (an unknown host is a bug: refs are made by `resolve`). */
  split(ref: ProfileRef): { host: string; name: string } {
    const at = ref.indexOf(":");
    return at >= 0 ? { host: ref.slice(0, at), name: ref.slice(at + 1) } : { host: this.#first, name: ref };
  }

  backendOf(ref: ProfileRef): { backend: ProfileBackend; name: string } {
    return this.#route(ref);
  }

  #route(ref: ProfileRef): { backend: ProfileBackend; name: string } {
    const { host, name } = this.split(ref);
    return { backend: this.#backend(host), name };
  }

  #backend(host: string): ProfileBackend {
    const backend = this.#hosts.get(host);
    if (!backend) throw new Error(`bug: no Hermes host '${host}' behind a profile ref`);
    return backend;
  }
}

/** Installs into `<host>:<name>`: carried out by that host's executor, keyed per host. */
class RoutedInstalls implements InstallExecutor {
  readonly canStopRunning = false;

  constructor(private readonly router: HostRouter) {}

  exclusiveKeys(request: InstallRequest): readonly string[] {
    const { host } = this.router.split(request.profile);
    return this.#onHost(request, (executor, local) =>
      executor.exclusiveKeys(local).map((key) => `${host}/${key}`),
    );
  }

  run(request: InstallRequest, io: InstallIo): Promise<InstallEnd> {
    return this.#onHost(request, (executor, local) => executor.run(local, io));
  }

  #onHost<T>(request: InstallRequest, work: (executor: InstallExecutor, local: InstallRequest) => T): T {
    const { backend, name } = this.router.backendOf(request.profile);
    return work(backend.installs, { ...request, profile: name });
  }
}
