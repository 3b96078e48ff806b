// A new, empty database on a Postgres server, for one benchmark run (bench:telegram, bench:load):
// each run starts from no rows, and runs never see each other's.
import pg from "pg";

/** Creates `bench_<time>_<random>` on the server of `url` (an admin's URL); the new database's URL. */
export async function freshDatabase(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const name = `bench_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}
