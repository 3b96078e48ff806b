// A change to a stored install group made in one step across replicas: read, change and write
// under a transaction-scoped advisory lock on the group's id. Every writer of a group in the
// replicated mode goes through here (the running install, Cancel, Retry, the message pointer), so
// none overwrites another's change with an older copy of the group.
import type pg from "pg";
import type { InstallGroup } from "../../../core/install/install-job.ts";
import type { InstallGroups } from "../../ports/store.ts";
import { LOCK_KEY_SQL } from "./install-lease.ts";

const GROUP_LOCK_NAMESPACE = "agent-blueprint/install-group/";

/**
 * Applies `change` to the stored group and writes what it returns (nothing when it returns
 * undefined). Answers the group as stored afterwards; undefined when there is no such group.
 */
export async function updateGroup(
  pool: pg.Pool,
  store: InstallGroups,
  groupId: string,
  change: (group: InstallGroup) => InstallGroup | undefined,
): Promise<InstallGroup | undefined> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY_SQL})`, [GROUP_LOCK_NAMESPACE + groupId]);
    const group = await store.getInstallGroup(groupId);
    const changed = group ? change(group) : undefined;
    if (changed) await store.putInstallGroup(changed);
    await client.query("COMMIT");
    return changed ?? group;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
