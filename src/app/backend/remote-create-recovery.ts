// What is left on a Hermes host when a remote create does not finish, and the report's words for it.
// A create whose answer could not be read may have happened all the same: it is never sent again;
// the host is asked whether the profile is there, and if so it is deleted again (a half-known create
// is not kept), or the report says it is there and how to remove it. A create that failed at a later
// step is deleted again; when even that fails, the report says what is left on the host.
import type { DashboardClient } from "../hermes/dashboard-client.ts";

/** The host a create ran on, as replies name it and as commands name its profiles. */
export interface RemoteCreateSite {
  readonly client: Pick<DashboardClient, "listProfiles" | "deleteProfile">;
  /** How replies name the host. */
  readonly host: string;
  /** How commands name this host's profiles when there are several hosts (`<host>:`), or "". */
  readonly refPrefix: string;
}

/** After a create whose answer could not be read: the problems of its report. */
export async function afterUnreadCreate(
  site: RemoteCreateSite,
  name: string,
  reason: string,
): Promise<string[]> {
  const { client, host } = site;
  const ref = `${site.refPrefix}${name}`;
  const listed = await client.listProfiles();
  if (!listed.ok)
    return [
      reason,
      `Whether Hermes made the profile '${name}' on ${host} is unknown: its answer could not be read, and listing its profiles failed too (${listed.failure.message}). Check with /profile list; if '${name}' is there, remove it with /profile delete ${ref}.`,
    ];
  if (!listed.value.some((profile) => profile.name === name))
    return [
      reason,
      `Hermes on ${host} does not list a profile '${name}' after that; if one appears later, remove it with /profile delete ${ref}.`,
    ];
  const removed = await client.deleteProfile(name);
  if (removed.ok)
    return [
      reason,
      `Hermes had made the profile '${name}' although its answer could not be read; it was deleted again, nothing was kept.`,
    ];
  return [
    reason,
    `The profile '${name}' exists on ${host} (Hermes made it, but its answer could not be read), and deleting it failed (${removed.failure.message}). Remove it with /profile delete ${ref}.`,
  ];
}

/** After a failed step: the profile is deleted again; if that fails too, the problems say what is left. */
export async function undoRemoteCreate(
  site: RemoteCreateSite,
  name: string,
  reason: string,
): Promise<string[]> {
  const removed = await site.client.deleteProfile(name);
  if (removed.ok)
    return [`${reason}`, `The half-made profile '${name}' was deleted again; nothing was kept.`];
  return [
    reason,
    `The profile '${name}' was made on ${site.host} but is incomplete, and deleting it failed too (${removed.failure.message}). Check it with /profile show ${site.refPrefix}${name}, then delete it with /profile delete ${site.refPrefix}${name}.`,
  ];
}
