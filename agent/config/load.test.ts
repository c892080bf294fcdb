import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from './load.js';
import { DEFAULTS, THIRTY_DAYS_AT_1HZ } from './schema.js';

const MINIMAL = `
[gateway]
id = "bay-01"
token = "secret"
[[destinations]]
name = "sink"
url = "http://127.0.0.1:8080/transportDspMessages"
`;

describe('config', () => {
  it('fills the defaults: one sonde, upload every 60 s, a queue for 30 days of 1 Hz readings, sonde to sink', () => {
    const r = parseConfigText(MINIMAL);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.config.upload.intervalS).toBe(60);
    expect(r.config.queue.maxMessages).toBe(THIRTY_DAYS_AT_1HZ);
    expect(r.config.sonde).toEqual(DEFAULTS.sonde);
    expect(r.config.destinations).toEqual([
      { name: 'sink', url: 'http://127.0.0.1:8080/transportDspMessages', token: 'secret' },
    ]);
    expect(r.config.rules).toHaveLength(1);
    expect(r.config.rules[0]).toMatchObject({
      producerType: 'org.netbeams.dsp.ysi',
      producerAddress: 'LOCAL',
      destination: 'sink',
    });
  });

  it('accepts the shipped example file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const token = path.join(dir, 'token');
    writeFileSync(token, 'abc\n');
    const text = readFileSync(new URL('./example.toml', import.meta.url), 'utf8').replace(
      '/etc/netbeams-dsp/token',
      token,
    );
    const r = parseConfigText(text);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.config.token).toBe('abc');
    expect(r.config.sonde.timeZone).toBe('America/Los_Angeles');
  });

  it('accepts the demo config once its token file exists', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    writeFileSync(path.join(dir, 'demo.token'), 'demo-token\n');
    const text = readFileSync(new URL('./demo.toml', import.meta.url), 'utf8').replace(
      'token_file = "./data/demo.token"',
      `token_file = "${path.join(dir, 'demo.token')}"`,
    );
    const r = parseConfigText(text);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.config).toMatchObject({
      gatewayId: 'demo',
      token: 'demo-token',
      sonde: { simulate: true },
      upload: { intervalS: 5 },
    });
  });

  it('reports every problem with the field and the reason', () => {
    const r = parseConfigText(`
[gateway]
id = "bay 01"
[sonde]
interval_s = "fast"
time_zone = "Mars/Olympus"
mode = "loud"
[[destinations]]
name = "sink"
url = "ftp://x"
[[rules]]
id = "r1"
destination = "nowhere"
[upload]
intervl_s = 5
backoff_base_s = 10
backoff_cap_s = 5
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.problem]));
    expect(byField['gateway.id']).toMatch(/letters, digits/);
    expect(byField['sonde.interval_s']).toBe('must be a number (got "fast")');
    expect(byField['sonde.time_zone']).toMatch(/IANA time zone/);
    expect(byField['sonde.mode']).toMatch(/one of active, passive/);
    expect(byField['destinations[0].url']).toMatch(/http/);
    expect(byField['destinations[0].token']).toMatch(/required/);
    expect(byField['rules[0].destination']).toMatch(/names no \[\[destinations\]\] entry \(known: sink\)/);
    expect(byField['upload.intervl_s']).toBe('unknown field');
    expect(byField['upload.backoff_cap_s']).toMatch(/at least backoff_base_s/);
  });

  it('reports a TOML syntax error with its line, and an unreadable file by name', () => {
    const r = parseConfigText('[gateway]\nid = "a\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.field).toMatch(/^line 2/);
    const missing = loadConfigFile('/nonexistent/agent.toml');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]!.problem).toMatch(/cannot be read/);
  });
});
