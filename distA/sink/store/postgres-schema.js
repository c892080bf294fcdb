import { pendingMigrations } from './schema-version.js';
/** Advisory lock keys (two int4): a space for dsp-sink ('DSPS'), then what is locked. */
export const LOCK_SPACE = 0x44535053;
export const SCHEMA_LOCK = 1;
export const PARTITION_LOCK = 2;
// Times and sequences are bigint: epoch milliseconds, as in SQLite and the protocol. JSON is `json`, not `jsonb`:
// it keeps the text as sent, so the order of a reading's values (the order of CSV columns) survives.
const V1 = `
CREATE TABLE gateways (
  id              text PRIMARY KEY,
  token_hash      text UNIQUE,         -- sha256 hex of the token; NULL for legacy address-mapped gateways
  created_at      bigint NOT NULL,
  revoked_at      bigint,
  last_contact    bigint,
  queue_depth     bigint,
  clock_offset_ms bigint,
  ack_until       bigint NOT NULL DEFAULT 0,  -- contiguous watermark of stored or reported-lost sequences
  readings_stored bigint NOT NULL DEFAULT 0,
  messages_stored bigint NOT NULL DEFAULT 0
);

CREATE TABLE messages (
  gateway        text NOT NULL,
  message_id     text NOT NULL,
  container_id   text NOT NULL,
  kind           text NOT NULL,
  content_type   text,
  sequence       bigint,               -- set for messages that occupy a sequence alone (answers, events)
  correlation_id text,
  producer       text,
  created_at     bigint,
  received_at    bigint NOT NULL,
  body           json,                 -- bodies other than sonde data
  PRIMARY KEY (gateway, message_id)
);
CREATE INDEX messages_sequence ON messages (gateway, sequence) WHERE sequence IS NOT NULL;
CREATE INDEX messages_received ON messages (gateway, received_at);

-- Readings, partitioned by month of time_ms. A unique index of a partitioned table must hold the partition key,
-- and the dedupe key (gateway, sequence) cannot: a reading without sampledAt takes the receive time, which differs
-- between an original and its retry. So the dedupe key lives in reading_sequences, one row per stored sequence.
CREATE SEQUENCE readings_id_seq AS bigint;
CREATE TABLE readings (
  id          bigint NOT NULL DEFAULT nextval('readings_id_seq'),
  gateway     text NOT NULL,
  message_id  text NOT NULL,
  producer    text,
  sequence    bigint,
  time_ms     bigint NOT NULL,         -- sampled_at when known, else received_at
  sampled_at  bigint,
  sonde_time  text NOT NULL,
  received_at bigint NOT NULL,
  data        json NOT NULL,           -- {values, units?, valueFlags?}
  flags       json,                    -- array
  raw         text,
  PRIMARY KEY (id, time_ms)
) PARTITION BY RANGE (time_ms);
ALTER SEQUENCE readings_id_seq OWNED BY readings.id;
CREATE INDEX readings_gateway_time ON readings (gateway, time_ms, id);
CREATE INDEX readings_time ON readings (time_ms, id);
-- Readings whose month has no partition (a sonde clock far off): the store moves them out when it creates one.
CREATE TABLE readings_other PARTITION OF readings DEFAULT;

CREATE TABLE reading_sequences (
  gateway  text NOT NULL,
  sequence bigint NOT NULL,
  PRIMARY KEY (gateway, sequence)
);

CREATE TABLE gap_events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gateway          text NOT NULL,
  kind             text NOT NULL,      -- discontinuity | reported
  from_sequence    bigint NOT NULL,
  to_sequence      bigint NOT NULL,
  readings         bigint,
  reason           text,
  first_sampled_at bigint,
  last_sampled_at  bigint,
  detected_at      bigint NOT NULL,
  filled_at        bigint
);
CREATE INDEX gap_events_gateway ON gap_events (gateway, kind, to_sequence);

CREATE TABLE commands (
  id                text PRIMARY KEY,
  gateway           text NOT NULL,
  kind              text NOT NULL,     -- update | query
  consumer          text NOT NULL,
  properties        json NOT NULL,
  state             text NOT NULL,     -- queued | delivered | succeeded | failed | expired
  created_at        bigint NOT NULL,
  expires_at        bigint NOT NULL,
  delivered_at      bigint,
  completed_at      bigint,
  result            json,
  result_message_id text
);
CREATE INDEX commands_gateway_state ON commands (gateway, state, created_at);
`;
// The dashboard (docs/sink.md): station metadata, the upload and sampling intervals inferred at ingest, and the
// summaries kept in the ingest transaction so the network overview and the series route never scan readings.
const DASHBOARD = `
ALTER TABLE gateways
  ADD COLUMN station_name         text,
  ADD COLUMN latitude             double precision,
  ADD COLUMN longitude            double precision,
  ADD COLUMN description          text,
  ADD COLUMN contact_spacings     text,    -- JSON array: the last spacings between contacts, ms
  ADD COLUMN upload_interval_ms   bigint,  -- their median
  ADD COLUMN sampling_interval_ms bigint,
  ADD COLUMN newest_reading_ms    bigint;

-- The parameters each gateway reported, with the newest value of each.
CREATE TABLE gateway_parameters (
  gateway    text NOT NULL,
  parameter  text NOT NULL,
  unit       text,
  last_time  bigint NOT NULL,
  last_value double precision,
  last_flags text,                     -- JSON array
  PRIMARY KEY (gateway, parameter)
);

-- Per gateway, parameter and minute of time_ms: count, flagged count, min, max, first and last (time, value).
CREATE TABLE series_minutes (
  gateway     text NOT NULL,
  parameter   text NOT NULL,
  minute_ms   bigint NOT NULL,
  count       bigint NOT NULL,
  flagged     bigint NOT NULL,
  min_value   double precision NOT NULL,
  max_value   double precision NOT NULL,
  first_time  bigint NOT NULL,
  first_value double precision NOT NULL,
  last_time   bigint NOT NULL,
  last_value  double precision NOT NULL,
  PRIMARY KEY (gateway, parameter, minute_ms)
);

-- Readings per gateway and hour of time_ms (readings today, completeness of the last 24 h).
CREATE TABLE reading_hours (
  gateway  text NOT NULL,
  hour_ms  bigint NOT NULL,
  readings bigint NOT NULL,
  PRIMARY KEY (gateway, hour_ms)
);
CREATE INDEX reading_hours_hour ON reading_hours (hour_ms);
`;
// Network identity and copy progress (dsp-sink copy, sink/store/copy.ts): a random id made once per database, so
// a copy never mixes two networks; copy_progress holds, per table, the key of the last row a copy committed.
const NETWORK = `
CREATE TABLE network (
  one        integer PRIMARY KEY CHECK (one = 1),
  id         text NOT NULL,
  created_at bigint NOT NULL
);
INSERT INTO network (one, id, created_at)
  VALUES (1, replace(gen_random_uuid()::text, '-', ''), (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
CREATE TABLE copy_progress (
  table_name text PRIMARY KEY,
  last_key   json NOT NULL              -- array: the key of the last row copied
);
`;
/** The schema's versions in order; table schema_version records each one applied. */
// The sensor descriptions (docs/protocol.md §3.4) are found among a station's messages by content type: the
// SensorThings Sensors are built from them per request (sink/sta/sensors.ts), so this lookup must not scan.
const SENSOR_DESCRIPTIONS = `
CREATE INDEX messages_content_type ON messages(content_type, gateway, created_at) WHERE content_type IS NOT NULL
  AND content_type <> 'org.netbeams.dsp.ysi.SondeDataContainer';
`;
export const POSTGRES_MIGRATIONS = [V1, DASHBOARD, NETWORK, SENSOR_DESCRIPTIONS];
/**
 * Brings the database to the newest version. The session-level advisory lock makes a second sink starting at the
 * same moment wait, then find nothing left to do; each migration commits with its version row.
 */
export async function migrate(pool, where, migrations = POSTGRES_MIGRATIONS) {
    const client = await pool.connect();
    let failed;
    try {
        await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_SPACE, SCHEMA_LOCK]);
        await client.query(`CREATE TABLE IF NOT EXISTS schema_version (
         version    integer PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`);
        const { rows } = await client.query('SELECT COALESCE(MAX(version), 0) AS version FROM schema_version');
        for (const [version, sql] of pendingMigrations(rows[0]?.version ?? 0, migrations, where)) {
            await client.query('BEGIN');
            try {
                await client.query(sql);
                await client.query('INSERT INTO schema_version (version) VALUES ($1)', [version]);
                await client.query('COMMIT');
            }
            catch (error) {
                await client.query('ROLLBACK');
                throw error;
            }
        }
        await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_SPACE, SCHEMA_LOCK]);
    }
    catch (error) {
        failed = error instanceof Error ? error : new Error(String(error));
        throw error;
    }
    finally {
        // After a failure the connection is closed, not pooled: closing it also frees the advisory lock.
        client.release(failed);
    }
}
//# sourceMappingURL=postgres-schema.js.map