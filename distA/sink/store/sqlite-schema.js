import { pendingMigrations } from './schema-version.js';
// Version 1 kept CREATE ... IF NOT EXISTS: files made before versioning (user_version 0) already hold its tables.
const V1 = `
CREATE TABLE IF NOT EXISTS gateways (
  id              TEXT PRIMARY KEY,
  token_hash      TEXT,              -- sha256 hex of the token; NULL for legacy address-mapped gateways
  created_at      INTEGER NOT NULL,
  revoked_at      INTEGER,
  last_contact    INTEGER,
  queue_depth     INTEGER,
  clock_offset_ms INTEGER,
  ack_until       INTEGER NOT NULL DEFAULT 0,  -- contiguous watermark of stored or reported-lost sequences
  readings_stored INTEGER NOT NULL DEFAULT 0,
  messages_stored INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS gateways_token ON gateways(token_hash);

-- Every message ever accepted; the primary key is the dedupe key. sequence is set for messages that occupy
-- a sequence alone (answers, events); the sequences of readings are in the readings table.
CREATE TABLE IF NOT EXISTS messages (
  gateway        TEXT NOT NULL,
  message_id     TEXT NOT NULL,
  container_id   TEXT NOT NULL,
  kind           TEXT NOT NULL,
  content_type   TEXT,
  sequence       INTEGER,
  correlation_id TEXT,
  producer       TEXT,
  created_at     INTEGER,
  received_at    INTEGER NOT NULL,
  body           TEXT,               -- JSON of bodies other than sonde data
  PRIMARY KEY (gateway, message_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS messages_sequence ON messages(gateway, sequence) WHERE sequence IS NOT NULL;

CREATE TABLE IF NOT EXISTS readings (
  id          INTEGER PRIMARY KEY,
  gateway     TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  producer    TEXT,
  sequence    INTEGER,
  time_ms     INTEGER NOT NULL,      -- sampled_at when known, else received_at
  sampled_at  INTEGER,
  sonde_time  TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  data        TEXT NOT NULL,         -- JSON {values, units?, valueFlags?}
  flags       TEXT,                  -- JSON array
  raw         TEXT
);
-- The dedupe key of readings: a retry may group the same readings into other messages (docs/protocol.md §5.1).
CREATE UNIQUE INDEX IF NOT EXISTS readings_sequence ON readings(gateway, sequence) WHERE sequence IS NOT NULL;
CREATE INDEX IF NOT EXISTS readings_gateway_time ON readings(gateway, time_ms);
CREATE INDEX IF NOT EXISTS readings_time ON readings(time_ms);

CREATE TABLE IF NOT EXISTS gap_events (
  id               INTEGER PRIMARY KEY,
  gateway          TEXT NOT NULL,
  kind             TEXT NOT NULL,    -- discontinuity | reported
  from_sequence    INTEGER NOT NULL,
  to_sequence      INTEGER NOT NULL,
  readings         INTEGER,
  reason           TEXT,
  first_sampled_at INTEGER,
  last_sampled_at  INTEGER,
  detected_at      INTEGER NOT NULL,
  filled_at        INTEGER
);
CREATE INDEX IF NOT EXISTS gap_events_gateway ON gap_events(gateway, kind, to_sequence);

CREATE TABLE IF NOT EXISTS commands (
  id                TEXT PRIMARY KEY,
  gateway           TEXT NOT NULL,
  kind              TEXT NOT NULL,   -- update | query
  consumer          TEXT NOT NULL,
  properties        TEXT NOT NULL,   -- JSON
  state             TEXT NOT NULL,   -- queued | delivered | succeeded | failed | expired
  created_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  delivered_at      INTEGER,
  completed_at      INTEGER,
  result            TEXT,            -- JSON
  result_message_id TEXT
);
CREATE INDEX IF NOT EXISTS commands_gateway_state ON commands(gateway, state, created_at);
`;
// The dashboard (docs/sink.md): station metadata, the upload and sampling intervals inferred at ingest, and the
// summaries kept in the ingest transaction so the network overview and the series route never scan readings.
const DASHBOARD = `
ALTER TABLE gateways ADD COLUMN station_name TEXT;
ALTER TABLE gateways ADD COLUMN latitude REAL;
ALTER TABLE gateways ADD COLUMN longitude REAL;
ALTER TABLE gateways ADD COLUMN description TEXT;
ALTER TABLE gateways ADD COLUMN contact_spacings TEXT;       -- JSON array: the last spacings between contacts, ms
ALTER TABLE gateways ADD COLUMN upload_interval_ms INTEGER;  -- their median
ALTER TABLE gateways ADD COLUMN sampling_interval_ms INTEGER;
ALTER TABLE gateways ADD COLUMN newest_reading_ms INTEGER;

-- The parameters each gateway reported, with the newest value of each.
CREATE TABLE gateway_parameters (
  gateway    TEXT NOT NULL,
  parameter  TEXT NOT NULL,
  unit       TEXT,
  last_time  INTEGER NOT NULL,
  last_value REAL,
  last_flags TEXT,                   -- JSON array
  PRIMARY KEY (gateway, parameter)
) WITHOUT ROWID;

-- Per gateway, parameter and minute of time_ms: count, flagged count, min, max, first and last (time, value).
CREATE TABLE series_minutes (
  gateway     TEXT NOT NULL,
  parameter   TEXT NOT NULL,
  minute_ms   INTEGER NOT NULL,
  count       INTEGER NOT NULL,
  flagged     INTEGER NOT NULL,
  min_value   REAL NOT NULL,
  max_value   REAL NOT NULL,
  first_time  INTEGER NOT NULL,
  first_value REAL NOT NULL,
  last_time   INTEGER NOT NULL,
  last_value  REAL NOT NULL,
  PRIMARY KEY (gateway, parameter, minute_ms)
) WITHOUT ROWID;

-- Readings per gateway and hour of time_ms (readings today, completeness of the last 24 h).
CREATE TABLE reading_hours (
  gateway  TEXT NOT NULL,
  hour_ms  INTEGER NOT NULL,
  readings INTEGER NOT NULL,
  PRIMARY KEY (gateway, hour_ms)
) WITHOUT ROWID;
CREATE INDEX reading_hours_hour ON reading_hours(hour_ms);
`;
// Network identity and copy progress (dsp-sink copy, sink/store/copy.ts): a random id made once per database, so
// a copy never mixes two networks; copy_progress holds, per table, the key of the last row a copy committed.
const NETWORK = `
CREATE TABLE network (
  one        INTEGER PRIMARY KEY CHECK (one = 1),
  id         TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
INSERT INTO network (one, id, created_at)
  VALUES (1, lower(hex(randomblob(16))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
CREATE TABLE copy_progress (
  table_name TEXT PRIMARY KEY,
  last_key   TEXT NOT NULL              -- JSON array: the key of the last row copied
);
`;
/** The schema's versions in order (PRAGMA user_version holds the version of a file). */
// The sensor descriptions (docs/protocol.md §3.4) are found among a station's messages by content type: the
// SensorThings Sensors are built from them per request (sink/sta/sensors.ts), so this lookup must not scan.
const SENSOR_DESCRIPTIONS = `
CREATE INDEX messages_content_type ON messages(content_type, gateway, created_at) WHERE content_type IS NOT NULL
  AND content_type <> 'org.netbeams.dsp.ysi.SondeDataContainer';
`;
export const SQLITE_MIGRATIONS = [V1, DASHBOARD, NETWORK, SENSOR_DESCRIPTIONS];
export function openSchema(db) {
    // WAL lets the data API read while ingest writes; synchronous=FULL fsyncs the WAL on every commit,
    // so a 200 to the agent is only sent for data that survives a power cut.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // The gateway CLI may write while the server runs: wait for the lock instead of failing.
    db.pragma('busy_timeout = 5000');
    // IMMEDIATE takes the write lock before reading the version: two processes opening one new file do not both
    // migrate it.
    db.transaction(() => {
        const version = db.pragma('user_version', { simple: true });
        for (const [to, sql] of pendingMigrations(version, SQLITE_MIGRATIONS, `SQLite file ${db.name}`)) {
            db.exec(sql);
            db.pragma(`user_version = ${to}`);
        }
    }).immediate();
}
//# sourceMappingURL=sqlite-schema.js.map