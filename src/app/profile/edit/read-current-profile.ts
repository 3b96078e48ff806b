// A local profile's files read into what the planner compares (CurrentProfile). A config.yaml or
// profile.yaml that does not parse as a mapping is refused: an edit would not know what it keeps.
import type { CurrentProfile } from "../../../core/edit/current-profile.ts";
import type { InstallRecord } from "../../../core/install/install-record.ts";
import type { Outcome } from "../../ports/outcome.ts";
import type { ProfileTexts } from "./profile-texts.ts";
import { yamlMapping } from "../yaml-mapping.ts";

export function currentProfile(texts: ProfileTexts): Outcome<CurrentProfile> {
  const config = yamlMapping(texts.config, "config.yaml");
  if (!config.ok) return config;
  const meta = yamlMapping(texts.meta, "profile.yaml");
  if (!meta.ok) return meta;
  const hubInstalls = lockRecords(texts.lock);
  if (!hubInstalls.ok) return hubInstalls;
  return {
    ok: true,
    value: {
      config: config.value,
      meta: meta.value,
      soul: texts.soul,
      hubInstalls: hubInstalls.value,
      builtinsPresent:
        texts.manifest === undefined
          ? []
          : texts.manifest
              .split("\n")
              .map((line) => line.split(":")[0]?.trim() ?? "")
              .filter((name) => name !== ""),
    },
  };
}

function lockRecords(text: string | undefined): Outcome<InstallRecord[]> {
  if (text === undefined) return { ok: true, value: [] };
  try {
    const lock = JSON.parse(text) as {
      installed?: Record<string, { identifier?: unknown; source?: unknown }>;
    };
    return {
      ok: true,
      value: Object.entries(lock.installed ?? {}).map(([name, entry]) => ({
        name,
        ...(typeof entry.identifier === "string" ? { identifier: entry.identifier } : {}),
        ...(typeof entry.source === "string" ? { source: entry.source } : {}),
      })),
    };
  } catch {
    return {
      ok: false,
      reason: "skills/.hub/lock.json is not valid JSON; fix or move it away, nothing was changed",
    };
  }
}
