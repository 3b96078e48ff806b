// Whose lists a wizard offers when the profile goes to a Hermes host: the host's own where its
// dashboard lists them, else this bot's. A step whose list may not be the host's says so in one
// line, so the user knows the host may have other entries; on this machine nothing is said.

/** Where each of the wizard's catalog lists came from, for a create on `host`. */
export interface CatalogOrigin {
  readonly host: string;
  readonly builtinSkills: "host" | "bot";
  readonly optionalSkills: "host" | "bot";
  readonly mcps: "host" | "bot";
  /** Why a list the host can give is this bot's instead (it did not answer, or not sensibly). */
  readonly problems?: Partial<Record<CatalogList, string>>;
}

export type CatalogList = "builtinSkills" | "optionalSkills" | "mcps";

const LIST_NAMES: Record<CatalogList, string> = {
  builtinSkills: "Built-in skills",
  optionalSkills: "Optional skills",
  mcps: "MCP catalog",
};

/** The one line a step shows about whose list it offers; none for a create on this machine. */
export function originLine(origin: CatalogOrigin | undefined, list: CatalogList): string[] {
  if (!origin) return [];
  const what = LIST_NAMES[list];
  if (origin[list] === "host") return [`${what}: the list of Hermes on ${origin.host}.`];
  // Optional skills: Hermes' dashboard lists none, so there is no problem to report.
  const problem = origin.problems?.[list];
  const why = problem ? ` (${origin.host} did not give its own: ${problem})` : "";
  return [`${what}: this bot's list${why}; Hermes on ${origin.host} may have others.`];
}
