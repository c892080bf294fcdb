// From the parsed TOML document to a complete AgentConfig, or the list of everything wrong with it.

import { readFileSync } from 'node:fs';
import { isLogLevel } from '../../common/log.js';
import { ConfigError, Table, TableReader } from './fields.js';
import { AgentConfig, DEFAULTS, DestinationConfig, RuleConfig, defaultRules } from './schema.js';
import { RULE_KEYWORDS } from '../broker/matcher.js';

export type ValidationResult = { ok: true; config: AgentConfig } | { ok: false; errors: ConfigError[] };

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function checkName(v: string): string | undefined {
  return NAME.test(v) ? undefined : 'must be 1 to 64 letters, digits, "_", "." or "-"';
}

function checkTimeZone(v: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v });
    return undefined;
  } catch {
    return 'must be an IANA time zone such as UTC or America/Los_Angeles';
  }
}

function checkUrl(v: string): string | undefined {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? undefined : 'must be an http:// or https:// URL';
  } catch {
    return 'must be a URL such as https://sink.example.org/transportDspMessages';
  }
}

export function checkListen(v: string): string | undefined {
  if (v === '') return undefined;
  const m = /^(.+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) return 'must be HOST:PORT such as 127.0.0.1:8421, or "" to disable';
  return undefined;
}

/** token = "..." or token_file = "/path" (systemd credentials); the file's content is trimmed. */
function readToken(r: TableReader, fallback: string): string {
  const file = r.optionalString('token_file');
  const inline = r.optionalString('token');
  if (file !== undefined && inline !== undefined) r.fail('token_file', 'give token or token_file, not both');
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      r.fail('token_file', `cannot be read: ${(err as Error).message}`);
      return fallback;
    }
  }
  return inline ?? fallback;
}

function readDestination(r: TableReader, gatewayToken: string): DestinationConfig {
  const d: DestinationConfig = {
    name: r.string('name', '', checkName),
    url: r.string('url', '', checkUrl),
    token: readToken(r, gatewayToken),
  };
  if (!r.has('name')) r.fail('name', 'is required');
  if (!r.has('url')) r.fail('url', 'is required');
  if (!d.token) r.fail('token', 'is required here or in [gateway]');
  r.rejectUnknown();
  return d;
}

function readCriterion(r: TableReader, key: string): string | undefined {
  return r.optionalString(key);
}

function readRule(r: TableReader, destinations: Set<string>): RuleConfig {
  const rule: RuleConfig = {
    id: r.string('id', '', checkName),
    producerType: readCriterion(r, 'producer_type'),
    producerAddress: readCriterion(r, 'producer_address'),
    consumerType: readCriterion(r, 'consumer_type'),
    consumerAddress: readCriterion(r, 'consumer_address'),
    targetConsumerType: r.string('target_consumer_type', 'KEEP'),
    targetConsumerAddress: r.string('target_consumer_address', 'KEEP'),
    destination: r.optionalString('destination'),
  };
  if (!r.has('id')) r.fail('id', 'is required');
  for (const [key, value] of [
    ['producer_address', rule.producerAddress],
    ['consumer_address', rule.consumerAddress],
  ] as const) {
    if (value === 'KEEP') r.fail(key, `KEEP is a target keyword; criteria use ${RULE_KEYWORDS.criteria.join(', ')}`);
  }
  if (rule.destination !== undefined && !destinations.has(rule.destination)) {
    r.fail('destination', `names no [[destinations]] entry (known: ${[...destinations].join(', ') || 'none'})`);
  }
  if (rule.destination === undefined && rule.targetConsumerType === 'KEEP' && rule.consumerType === undefined) {
    r.fail('target_consumer_type', 'a local rule needs a target component type (or a destination)');
  }
  r.rejectUnknown();
  return rule;
}

export function validateConfig(doc: Table): ValidationResult {
  const errors: ConfigError[] = [];
  const root = new TableReader(doc, '', errors);

  const gw = root.table_('gateway');
  const gatewayId = gw.string('id', '', checkName);
  if (!gw.has('id')) gw.fail('id', 'is required');
  const token = readToken(gw, '');
  const dataDir = gw.string('data_dir', DEFAULTS.dataDir);
  const logLevel = gw.string('log_level', DEFAULTS.logLevel, (v) =>
    isLogLevel(v) ? undefined : 'must be one of debug, info, warn, error',
  );
  gw.rejectUnknown();

  const s = root.table_('sonde');
  const d = DEFAULTS.sonde;
  const sonde = {
    port: s.string('port', d.port),
    baudRate: s.number('baud_rate', d.baudRate, { integer: true, min: 300, max: 115200 }),
    mode: s.oneOf('mode', ['active', 'passive'] as const, d.mode),
    // Whole seconds on a real sonde; fractions down to 0.1 s serve the simulator in tests.
    intervalS: s.number('interval_s', d.intervalS, { min: 0.1, max: 86400 }),
    timeZone: s.string('time_zone', d.timeZone, checkTimeZone),
    layout: s.oneOf('layout', ['auto', 'netbeams'] as const, d.layout),
    dateFormat: s.oneOf('date_format', ['mdy', 'dmy', 'ymd'] as const, d.dateFormat),
    simulate: s.boolean('simulate', d.simulate),
  };
  s.rejectUnknown();

  const destReaders = root.tables('destinations');
  if (destReaders.length === 0)
    errors.push({ field: 'destinations', problem: 'at least one [[destinations]] entry is required' });
  const destinations = destReaders.map((r) => readDestination(r, token));
  const names = new Set<string>();
  destinations.forEach((dest, i) => {
    if (names.has(dest.name))
      errors.push({ field: `destinations[${i}].name`, problem: `duplicate name "${dest.name}"` });
    names.add(dest.name);
  });

  const ruleReaders = root.tables('rules');
  const rules = ruleReaders.length > 0 ? ruleReaders.map((r) => readRule(r, names)) : defaultRules(destinations);

  const q = root.table_('queue');
  const queue = {
    maxMessages: q.number('max_messages', DEFAULTS.queue.maxMessages, { integer: true, min: 10 }),
    maxBytes: q.number('max_bytes', DEFAULTS.queue.maxBytes, { integer: true, min: 64 * 1024 }),
    overflow: q.oneOf('overflow', ['drop_oldest', 'drop_newest'] as const, DEFAULTS.queue.overflow),
    groupCommitMs: q.number('group_commit_ms', DEFAULTS.queue.groupCommitMs, { min: 0, max: 1000 }),
  };
  q.rejectUnknown();

  const u = root.table_('upload');
  const du = DEFAULTS.upload;
  const upload = {
    intervalS: u.number('interval_s', du.intervalS, { above: 0, max: 86400 }),
    maxMessages: u.number('max_messages', du.maxMessages, { integer: true, min: 1, max: 10000 }),
    maxBytes: u.number('max_bytes', du.maxBytes, { integer: true, min: 4096, max: 64 * 1024 * 1024 }),
    gzip: u.boolean('gzip', du.gzip),
    maxInFlight: u.number('max_in_flight', du.maxInFlight, { integer: true, min: 1, max: 8 }),
    connectTimeoutS: u.number('connect_timeout_s', du.connectTimeoutS, { above: 0, max: 600 }),
    requestTimeoutS: u.number('request_timeout_s', du.requestTimeoutS, { above: 0, max: 3600 }),
    backoffBaseS: u.number('backoff_base_s', du.backoffBaseS, { above: 0, max: 3600 }),
    backoffCapS: u.number('backoff_cap_s', du.backoffCapS, { above: 0, max: 86400 }),
  };
  if (upload.backoffCapS < upload.backoffBaseS)
    u.fail('backoff_cap_s', `must be at least backoff_base_s (${upload.backoffBaseS})`);
  u.rejectUnknown();

  const c = root.table_('commands');
  const commands = {
    provisionalTimeoutS: c.number('provisional_timeout_s', DEFAULTS.commands.provisionalTimeoutS, { above: 0 }),
  };
  c.rejectUnknown();

  const st = root.table_('status');
  const status = { listen: st.string('listen', DEFAULTS.status.listen, checkListen) };
  st.rejectUnknown();

  root.rejectUnknown();
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      gatewayId,
      token,
      dataDir,
      logLevel: logLevel as AgentConfig['logLevel'],
      sonde,
      destinations,
      rules,
      queue,
      upload,
      commands,
      status,
    },
  };
}
