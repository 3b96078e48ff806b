// The personas plugin on an existing profile, as one change: files placed (or brought up to date)
// before config.yaml enables it, config.yaml disabling it before the files go. Shared by
// /persona plugin (under the persona commands' per-profile serial) and `blueprint apply --from`.
import type { Document } from "yaml";
import type { ProfileChange } from "../../core/edit/profile-change.ts";
import { PERSONAS_TOOLSET } from "../../core/hermes-plugins.ts";
import type { Outcome } from "../ports/outcome.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";
import {
  driftCount,
  type PersonasPluginFiles,
  type PluginCopyDrift,
} from "../ports/personas-plugin-files.ts";
import { disablePlugin, enablePlugin, PERSONAS_PLUGIN, pluginEnabled } from "../profile/personas-plugin.ts";

export interface PluginStep {
  /** What changes (or changed); undefined when the profile already matches. */
  readonly change: ProfileChange | undefined;
  /** The copy as it was before. */
  readonly before: PluginCopyDrift;
  /** config.yaml was changed in `doc` (the caller writes it). */
  readonly configChanged: boolean;
  /** Platforms whose lists had the toolset switched off and got it back. */
  readonly toolsetOn: readonly string[];
}

/**
 * Plans (`run` false) or makes (`run` true) the profile have the plugin — or not (`want` false).
 * `defaultPersona`: the state's default to set; undefined keeps the copy's own.
 */
export async function personasPluginStep(
  files: PersonasPluginFiles,
  name: string,
  personas: PersonaLookup,
  doc: Document,
  options: {
    readonly want: boolean;
    readonly run: boolean;
    readonly defaultPersona?: string | null;
    /** The copy's drift when the caller has just read it (one read of 10,000 files is enough). */
    readonly before?: PluginCopyDrift;
  },
): Promise<Outcome<PluginStep>> {
  const read = options.before
    ? { ok: true as const, value: options.before }
    : await files.drift(name, personas);
  if (!read.ok) return read;
  const before = read.value;
  const what = `plugin '${PERSONAS_PLUGIN}'`;
  if (!options.want) {
    const enabled = pluginEnabled(doc, PERSONAS_PLUGIN);
    if (!before.installed && !enabled)
      return { ok: true, value: { change: undefined, before, configChanged: false, toolsetOn: [] } };
    const configChanged = options.run ? disablePlugin(doc, PERSONAS_PLUGIN) : enabled;
    return {
      ok: true,
      value: { change: { kind: "removed", what }, before, configChanged, toolsetOn: [] },
    };
  }
  const defaultChange =
    options.defaultPersona !== undefined && options.defaultPersona !== before.defaultPersona
      ? `default ${before.defaultPersona ?? "none"} → ${options.defaultPersona ?? "none"}`
      : undefined;
  const needsEnable = !pluginEnabled(doc, PERSONAS_PLUGIN);
  const switchedOff = toolsetOffOn(doc, PERSONAS_TOOLSET);
  const detail = [
    ...(driftCount(before) > 0 && before.installed ? [`library copy: ${driftWords(before)}`] : []),
    ...(defaultChange && before.installed ? [defaultChange] : []),
    ...(needsEnable && before.installed ? ["enabled in config.yaml"] : []),
    ...(switchedOff.length > 0 && before.installed ? [`toolset on again on ${switchedOff.join(", ")}`] : []),
  ];
  const change: ProfileChange | undefined = !before.installed
    ? {
        kind: "added",
        what,
        detail: `${personas.summaries().length} personas; default ${options.defaultPersona ?? "none"}`,
      }
    : detail.length > 0
      ? { kind: "changed", what, detail: detail.join("; ") }
      : undefined;
  if (!options.run || !change)
    return { ok: true, value: { change, before, configChanged: false, toolsetOn: [] } };
  const placed = await files.place(
    name,
    personas,
    before.installed ? options.defaultPersona : (options.defaultPersona ?? null),
  );
  if (!placed.ok) return placed;
  const enabled = enablePlugin(doc, PERSONAS_PLUGIN);
  for (const platform of switchedOff) {
    const list = (doc.getIn(["platform_toolsets", platform]) as { toJSON: () => unknown[] }).toJSON();
    doc.setIn(["platform_toolsets", platform], doc.createNode([...list.map(String), PERSONAS_TOOLSET]));
  }
  return {
    ok: true,
    value: { change, before, configChanged: enabled || switchedOff.length > 0, toolsetOn: switchedOff },
  };
}

export function driftWords(drift: PluginCopyDrift): string {
  const parts = [
    ...(drift.changed.length > 0 ? [`${drift.changed.length} changed (${listed(drift.changed)})`] : []),
    ...(drift.added.length > 0 ? [`${drift.added.length} new (${listed(drift.added)})`] : []),
    ...(drift.removed.length > 0
      ? [`${drift.removed.length} no longer in the library (${listed(drift.removed)})`]
      : []),
    ...(drift.codeOutdated ? ["the plugin's code"] : []),
  ];
  return parts.join(", ");
}

/** At most this many persona ids in a line; the count says how many there are. */
const NAMES_SHOWN = 5;

function listed(files: readonly string[]): string {
  const ids = files.map((file) => file.replace(/^.*\//, "").replace(/\.md$/, ""));
  return ids.length > NAMES_SHOWN ? `${ids.slice(0, NAMES_SHOWN).join(", ")}, …` : ids.join(", ");
}

/**
 * The platforms where Hermes has the toolset switched off: its `known_plugin_toolsets` names it
 * while its `platform_toolsets` list does not (someone turned it off with `hermes tools`).
 * Installing the plugin again means wanting it, so it is put back into those lists.
 */
function toolsetOffOn(doc: Document, toolset: string): string[] {
  const known = doc.getIn(["known_plugin_toolsets"]) as { toJSON?: () => unknown } | undefined;
  const knownMap = (known?.toJSON?.() ?? {}) as Record<string, unknown>;
  return Object.entries(knownMap).flatMap(([platform, names]) => {
    if (!Array.isArray(names) || !names.includes(toolset)) return [];
    const list = doc.getIn(["platform_toolsets", platform]) as { toJSON?: () => unknown } | undefined;
    const current = list?.toJSON?.();
    return Array.isArray(current) && !current.includes(toolset) ? [platform] : [];
  });
}
