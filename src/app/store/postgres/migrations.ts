// The schema, as the migrations that build it, in order. A migration once released is never
// edited: a change is a new one at the end. docs/postgres-schema.md describes the tables.
// Every time is a bigint of milliseconds since the epoch as the app passed it (never the
// database clock: the app's clock decides what expired, and the tests drive a fake one).

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description:
      "wizard sessions, create ledger, install groups, persona records, chat bindings, persona actions, inbound dedupe",
    statements: [
      `CREATE TABLE wizard_sessions (
        id text PRIMARY KEY,
        surface text NOT NULL,
        chat text NOT NULL,
        owner_id text NOT NULL,
        updated_at bigint NOT NULL,
        version bigint NOT NULL,
        state jsonb NOT NULL
      )`,
      // findOpen: the newest session of one person in one chat.
      `CREATE INDEX wizard_sessions_by_owner ON wizard_sessions (surface, chat, owner_id, updated_at DESC)`,
      `CREATE INDEX wizard_sessions_by_updated_at ON wizard_sessions (updated_at)`,
      `CREATE TABLE creates (
        session_id text PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('started', 'done')),
        at bigint NOT NULL,
        record jsonb NOT NULL
      )`,
      `CREATE INDEX creates_by_at ON creates (at)`,
      `CREATE TABLE install_groups (
        id text PRIMARY KEY,
        profile text NOT NULL,
        finished boolean NOT NULL,
        updated_at bigint NOT NULL,
        install_group jsonb NOT NULL
      )`,
      `CREATE INDEX install_groups_finished_by_updated_at ON install_groups (updated_at) WHERE finished`,
      `CREATE TABLE persona_records (
        profile text NOT NULL,
        persona_id text NOT NULL,
        record jsonb NOT NULL,
        PRIMARY KEY (profile, persona_id)
      )`,
      `CREATE TABLE chat_bindings (
        chat_key text PRIMARY KEY,
        profile text NOT NULL,
        binding jsonb NOT NULL
      )`,
      `CREATE INDEX chat_bindings_by_profile ON chat_bindings (profile)`,
      `CREATE TABLE persona_actions (
        id text PRIMARY KEY,
        at bigint NOT NULL,
        action jsonb NOT NULL
      )`,
      `CREATE INDEX persona_actions_by_at ON persona_actions (at)`,
      `CREATE TABLE inbound (
        key text PRIMARY KEY,
        claimed_at bigint NOT NULL,
        done boolean NOT NULL DEFAULT false,
        finished_at bigint
      )`,
      `CREATE INDEX inbound_by_last_seen ON inbound ((COALESCE(finished_at, claimed_at)))`,
    ],
  },
];

/** The schema this code reads and writes. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));
