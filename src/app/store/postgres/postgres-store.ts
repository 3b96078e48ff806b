// The store port (ports/store.ts) over PostgreSQL, shared by every replica (DATABASE_URL). Each
// call is one statement, or one transaction where it must be several, and is committed when its
// promise resolves. What replicas race on is decided by one statement each: a compare-and-set
// UPDATE for a session, INSERT … ON CONFLICT for a create or an inbound update, DELETE … RETURNING
// for a button. A failed call rejects (the caller decides); the pool reconnects on the next one.
import type pg from "pg";
import { isGroupFinished, type InstallGroup } from "../../../core/install/install-job.ts";
import type { Screen, Surface, WizardState } from "../../../core/wizard/index.ts";
import type {
  ChatBinding,
  CreateRecord,
  PersonaAction,
  PersonaRecord,
  Store,
  Versioned,
} from "../../ports/store.ts";
import { INBOUND_DEDUPE_KEEP_MS } from "../../ports/store.ts";
import type { Logger } from "../../system/logger.ts";
import { CREATE_LEDGER_MAX } from "../bot-store.ts";
import { createPool, postgresTarget } from "./connection.ts";
import { fromJsonb, JSONB_ENCODED_KEY, toJsonb } from "./jsonb.ts";
import { migrate } from "./migrate.ts";
import { PostgresHandoffs } from "./handoff-channel.ts";
import { inTransaction } from "./transaction.ts";

/** `ready()` answers false when a `SELECT 1` takes longer than this (GET /readyz must answer fast). */
export const READY_TIMEOUT_MS = 2_000;
/** As in the embedded store: the ledger is pruned down to CREATE_LEDGER_MAX once it passes it by a tenth. */
const CREATE_LEDGER_PRUNE_ABOVE = Math.floor(CREATE_LEDGER_MAX * 1.1);
/**
 * claimCreate reads the record that beat it; should that record be deleted in between, it tries
 * again, this many times at most (a delete needs the wizard to end, so one retry is plenty).
 */
const CLAIM_CREATE_ATTEMPTS = 3;

/** Forgets the oldest finished creates of ended wizards, down to $1, once there are more than $2. */
const PRUNE_CREATES = `
  DELETE FROM creates WHERE session_id IN (
    SELECT c.session_id FROM creates c
    WHERE c.state = 'done' AND NOT EXISTS (SELECT 1 FROM wizard_sessions s WHERE s.id = c.session_id)
    ORDER BY c.at
    LIMIT GREATEST(0, (SELECT count(*) FROM creates) - $1)
  ) AND (SELECT count(*) FROM creates) > $2`;

const UPSERT_SESSION = `
  INSERT INTO wizard_sessions (id, surface, chat, owner_id, updated_at, version, state)
  VALUES ($1, $2, $3, $4, $5, 1, $6::jsonb)
  ON CONFLICT (id) DO UPDATE SET surface = EXCLUDED.surface, chat = EXCLUDED.chat,
    owner_id = EXCLUDED.owner_id, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state,
    version = wizard_sessions.version + 1`;

/** Compare-and-set in one statement: no row changes unless the version is still the one read. */
const REPLACE_SESSION = `
  UPDATE wizard_sessions SET surface = $2, chat = $3, owner_id = $4, updated_at = $5, state = $6::jsonb,
    version = version + 1
  WHERE id = $1 AND version = $7`;

/**
 * Takes an inbound update in one statement: a new key, or a claim that is not done and older than
 * the lease ($2 - $3). Nothing returned: done, or being handled now.
 */
const CLAIM_INBOUND = `
  INSERT INTO inbound (key, claimed_at, done) VALUES ($1, $2, false)
  ON CONFLICT (key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
  WHERE inbound.done = false AND inbound.claimed_at < $2::bigint - $3::bigint
  RETURNING key`;

export class PostgresStore implements Store {
  /** Every replica reads and writes it. */
  readonly shared = true;
  readonly handoffs: PostgresHandoffs;
  #closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
    logger: Logger,
  ) {
    this.handoffs = new PostgresHandoffs(url, pool, logger);
  }

  /**
   * Connects and brings the schema up to date (migrate.ts). Rejects when the server cannot be
   * reached or the schema is newer than this code; the pool is closed then.
   */
  static async open(url: string, logger: Logger): Promise<PostgresStore> {
    const pool = createPool(url, logger);
    try {
      const applied = await migrate(pool);
      logger.info({ postgres: postgresTarget(url), migrationsApplied: applied }, "postgres store open");
      return new PostgresStore(pool, url, logger);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async get(id: string): Promise<WizardState | undefined> {
    return (await this.getVersioned(id))?.value;
  }

  async getVersioned(id: string): Promise<Versioned<WizardState> | undefined> {
    const { rows } = await this.pool.query<{ state: unknown; version: string }>(
      "SELECT state, version FROM wizard_sessions WHERE id = $1",
      [id],
    );
    const row = rows[0];
    return row ? { value: fromJsonb<WizardState>(row.state), version: Number(row.version) } : undefined;
  }

  async all(): Promise<WizardState[]> {
    const { rows } = await this.pool.query<{ state: unknown }>("SELECT state FROM wizard_sessions");
    return rows.map((row) => fromJsonb<WizardState>(row.state));
  }

  async stalled(steps: readonly Screen[], updatedBefore: number): Promise<WizardState[]> {
    // A session kept base64-wrapped (see jsonb.ts) shows no step to SQL: it is read and decided here.
    const { rows } = await this.pool.query<{ state: unknown }>(
      `SELECT state FROM wizard_sessions WHERE updated_at < $2
       AND (state->>'step' = ANY($1::text[]) OR state ? '${JSONB_ENCODED_KEY}')`,
      [steps, updatedBefore],
    );
    return rows.map((row) => fromJsonb<WizardState>(row.state)).filter((state) => steps.includes(state.step));
  }

  async findOpen(surface: Surface, chat: string, ownerId: string): Promise<WizardState | undefined> {
    const { rows } = await this.pool.query<{ state: unknown }>(
      `SELECT state FROM wizard_sessions WHERE surface = $1 AND chat = $2 AND owner_id = $3
       ORDER BY updated_at DESC LIMIT 1`,
      [surface, chat, ownerId],
    );
    return rows[0] ? fromJsonb<WizardState>(rows[0].state) : undefined;
  }

  async ownedBy(surface: Surface, ownerId: string): Promise<WizardState[]> {
    const { rows } = await this.pool.query<{ state: unknown }>(
      "SELECT state FROM wizard_sessions WHERE surface = $1 AND owner_id = $2 ORDER BY updated_at DESC",
      [surface, ownerId],
    );
    return rows.map((row) => fromJsonb<WizardState>(row.state));
  }

  async put(state: WizardState): Promise<void> {
    await this.pool.query(UPSERT_SESSION, sessionColumns(state));
  }

  async replace(state: WizardState, version: number): Promise<boolean> {
    const result = await this.pool.query(REPLACE_SESSION, [...sessionColumns(state), version]);
    return result.rowCount === 1;
  }

  async delete(id: string): Promise<void> {
    await this.pool.query("DELETE FROM wizard_sessions WHERE id = $1", [id]);
  }

  async getCreate(sessionId: string): Promise<CreateRecord | undefined> {
    const { rows } = await this.pool.query<{ record: unknown }>(
      "SELECT record FROM creates WHERE session_id = $1",
      [sessionId],
    );
    return rows[0] ? fromJsonb<CreateRecord>(rows[0].record) : undefined;
  }

  async claimCreate(sessionId: string, record: CreateRecord): Promise<CreateRecord | undefined> {
    for (let attempt = 1; ; attempt++) {
      const inserted = await this.pool.query(
        `INSERT INTO creates (session_id, state, at, record) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (session_id) DO NOTHING RETURNING session_id`,
        [sessionId, record.state, record.at, toJsonb(record)],
      );
      if (inserted.rowCount === 1) {
        await this.#pruneCreates();
        return undefined;
      }
      const found = await this.getCreate(sessionId);
      if (found || attempt >= CLAIM_CREATE_ATTEMPTS) return found;
    }
  }

  async putCreate(sessionId: string, record: CreateRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO creates (session_id, state, at, record) VALUES ($1, $2, $3, $4::jsonb)
       ON CONFLICT (session_id) DO UPDATE SET state = EXCLUDED.state, at = EXCLUDED.at, record = EXCLUDED.record`,
      [sessionId, record.state, record.at, toJsonb(record)],
    );
    await this.#pruneCreates();
  }

  async deleteCreate(sessionId: string): Promise<void> {
    await this.pool.query("DELETE FROM creates WHERE session_id = $1", [sessionId]);
  }

  async #pruneCreates(): Promise<void> {
    await this.pool.query(PRUNE_CREATES, [CREATE_LEDGER_MAX, CREATE_LEDGER_PRUNE_ABOVE]);
  }

  async getInstallGroup(id: string): Promise<InstallGroup | undefined> {
    const { rows } = await this.pool.query<{ install_group: unknown }>(
      "SELECT install_group FROM install_groups WHERE id = $1",
      [id],
    );
    return rows[0] ? fromJsonb<InstallGroup>(rows[0].install_group) : undefined;
  }

  async allInstallGroups(): Promise<InstallGroup[]> {
    const { rows } = await this.pool.query<{ install_group: unknown }>(
      "SELECT install_group FROM install_groups",
    );
    return rows.map((row) => fromJsonb<InstallGroup>(row.install_group));
  }

  async putInstallGroup(group: InstallGroup): Promise<void> {
    await this.pool.query(
      `INSERT INTO install_groups (id, profile, finished, updated_at, install_group) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (id) DO UPDATE SET profile = EXCLUDED.profile, finished = EXCLUDED.finished,
         updated_at = EXCLUDED.updated_at, install_group = EXCLUDED.install_group`,
      [group.id, group.profile, isGroupFinished(group), group.updatedAt, toJsonb(group)],
    );
  }

  async personaRecords(profile: string): Promise<Readonly<Record<string, PersonaRecord>>> {
    const { rows } = await this.pool.query<{ persona_id: string; record: unknown }>(
      "SELECT persona_id, record FROM persona_records WHERE profile = $1",
      [profile],
    );
    return Object.fromEntries(rows.map((row) => [row.persona_id, fromJsonb<PersonaRecord>(row.record)]));
  }

  async setPersonaRecord(profile: string, personaId: string, record: PersonaRecord | null): Promise<void> {
    if (record === null) {
      await this.pool.query("DELETE FROM persona_records WHERE profile = $1 AND persona_id = $2", [
        profile,
        personaId,
      ]);
      return;
    }
    await this.pool.query(
      `INSERT INTO persona_records (profile, persona_id, record) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (profile, persona_id) DO UPDATE SET record = EXCLUDED.record`,
      [profile, personaId, toJsonb(record)],
    );
  }

  async binding(chatKey: string): Promise<ChatBinding | undefined> {
    const { rows } = await this.pool.query<{ binding: unknown }>(
      "SELECT binding FROM chat_bindings WHERE chat_key = $1",
      [chatKey],
    );
    return rows[0] ? fromJsonb<ChatBinding>(rows[0].binding) : undefined;
  }

  async setBinding(chatKey: string, binding: ChatBinding): Promise<void> {
    await this.pool.query(
      `INSERT INTO chat_bindings (chat_key, profile, binding) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (chat_key) DO UPDATE SET profile = EXCLUDED.profile, binding = EXCLUDED.binding`,
      [chatKey, binding.profile, toJsonb(binding)],
    );
  }

  async forgetProfile(profile: string): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query("DELETE FROM persona_records WHERE profile = $1", [profile]);
      await client.query("DELETE FROM chat_bindings WHERE profile = $1", [profile]);
    });
  }

  async action(id: string): Promise<PersonaAction | undefined> {
    const { rows } = await this.pool.query<{ action: unknown }>(
      "SELECT action FROM persona_actions WHERE id = $1",
      [id],
    );
    return rows[0] ? fromJsonb<PersonaAction>(rows[0].action) : undefined;
  }

  async putAction(id: string, action: PersonaAction): Promise<void> {
    await this.pool.query(
      `INSERT INTO persona_actions (id, at, action) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at, action = EXCLUDED.action`,
      [id, action.at, toJsonb(action)],
    );
  }

  async takeAction(id: string): Promise<PersonaAction | undefined> {
    const { rows } = await this.pool.query<{ action: unknown }>(
      "DELETE FROM persona_actions WHERE id = $1 RETURNING action",
      [id],
    );
    return rows[0] ? fromJsonb<PersonaAction>(rows[0].action) : undefined;
  }

  async deleteAction(id: string): Promise<void> {
    await this.pool.query("DELETE FROM persona_actions WHERE id = $1", [id]);
  }

  async claimInbound(key: string, now: number, leaseMs: number): Promise<boolean> {
    const result = await this.pool.query(CLAIM_INBOUND, [key, now, leaseMs]);
    return result.rowCount === 1;
  }

  async finishInbound(key: string, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO inbound (key, claimed_at, done, finished_at) VALUES ($1, $2, true, $2)
       ON CONFLICT (key) DO UPDATE SET done = true, finished_at = EXCLUDED.finished_at`,
      [key, now],
    );
  }

  /** What the embedded store's sweep removes, and inbound records older than INBOUND_DEDUPE_KEEP_MS. */
  async sweepExpired(now: number, ttlMs: number): Promise<string[]> {
    const expiredBefore = now - ttlMs;
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        "DELETE FROM wizard_sessions WHERE updated_at < $1 RETURNING id",
        [expiredBefore],
      );
      // Create records outlive their wizard by one TTL, long enough to answer any late repeat press.
      await client.query(
        `DELETE FROM creates c WHERE c.at < $1
         AND NOT EXISTS (SELECT 1 FROM wizard_sessions s WHERE s.id = c.session_id)`,
        [expiredBefore],
      );
      await client.query("DELETE FROM install_groups WHERE finished AND updated_at < $1", [expiredBefore]);
      await client.query("DELETE FROM persona_actions WHERE at < $1", [expiredBefore]);
      await client.query("DELETE FROM inbound WHERE COALESCE(finished_at, claimed_at) < $1", [
        now - INBOUND_DEDUPE_KEEP_MS,
      ]);
      return rows.map((row) => row.id);
    });
  }

  /** Every write is committed by the time its promise resolves: nothing waits. */
  async flush(): Promise<void> {}

  /** A `SELECT 1` answered within READY_TIMEOUT_MS; false on any error, never a rejection. */
  async ready(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
    });
    // Through a then: a closed pool throws at once rather than rejecting.
    const answered = Promise.resolve()
      .then(() => this.pool.query("SELECT 1"))
      .then(
        () => true,
        () => false,
      );
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.handoffs.close();
    await this.pool.end();
  }
}

function sessionColumns(state: WizardState): unknown[] {
  return [state.id, state.surface, state.chat, state.owner.id, state.updatedAt, toJsonb(state)];
}
