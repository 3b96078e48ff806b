// Several statements as one: committed together or not at all, on one connection of the pool.
import type pg from "pg";

export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (error) {
    // A connection that cannot even roll back is broken: released with the error, the pool drops it.
    const rollback = await client.query("ROLLBACK").then(
      () => undefined,
      (rollbackError: unknown) => rollbackError as Error,
    );
    client.release(rollback);
    throw error;
  }
}
