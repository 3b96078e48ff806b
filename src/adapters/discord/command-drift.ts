// What a bulk overwrite would change: the commands Discord has now against the ones the table
// builds. Discord adds fields of its own (ids, versions, defaults), so both sides are reduced to
// what we set before they are compared.

export interface CommandDrift {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
  readonly unchanged: string[];
}

interface Node {
  readonly name?: unknown;
  readonly description?: unknown;
  readonly type?: unknown;
  readonly required?: unknown;
  readonly autocomplete?: unknown;
  readonly choices?: readonly { readonly name?: unknown; readonly value?: unknown }[] | undefined;
  readonly options?: readonly Node[] | undefined;
  readonly contexts?: readonly number[] | null | undefined;
  readonly integration_types?: readonly number[] | null | undefined;
}

/** The fields we set, with Discord's omitted defaults filled in, as a comparable string. */
function essence(node: Node): unknown {
  return {
    name: node.name,
    description: node.description ?? "",
    type: node.type ?? 1,
    required: node.required === true,
    autocomplete: node.autocomplete === true,
    choices: (node.choices ?? []).map((choice) => [choice.name, choice.value]),
    options: (node.options ?? []).map(essence),
    // Top-level only; absent on Discord's side means "Discord's defaults", which we never rely on.
    contexts: node.contexts ?? null,
    integration_types: node.integration_types ?? null,
  };
}

export function commandDrift(current: readonly Node[], wanted: readonly Node[]): CommandDrift {
  const byName = new Map(current.map((command) => [String(command.name), command]));
  const wantedNames = new Set(wanted.map((command) => String(command.name)));
  const drift: CommandDrift = { added: [], changed: [], removed: [], unchanged: [] };
  for (const command of wanted) {
    const name = String(command.name);
    const existing = byName.get(name);
    if (!existing) drift.added.push(name);
    else if (JSON.stringify(essence(existing)) !== JSON.stringify(essence(command))) drift.changed.push(name);
    else drift.unchanged.push(name);
  }
  for (const name of byName.keys()) if (!wantedNames.has(name)) drift.removed.push(name);
  return drift;
}

export function driftLines(drift: CommandDrift): string[] {
  return [
    ...drift.added.map((name) => `+ /${name} (new)`),
    ...drift.changed.map((name) => `~ /${name} (changed)`),
    ...drift.removed.map((name) => `- /${name} (removed)`),
    ...drift.unchanged.map((name) => `= /${name} (unchanged)`),
  ];
}

export function hasDrift(drift: CommandDrift): boolean {
  return drift.added.length + drift.changed.length + drift.removed.length > 0;
}
