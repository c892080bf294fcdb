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

  it('reports every problem with the field, what was expected and what was given', () => {
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
[upload]
intervl_s = 5
max_messages = "ten"
[queue]
max_messages = 5
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { field: 'gateway.id', problem: 'expected 1 to 64 letters, digits, "_", "." or "-", got "bay 01"' },
      { field: 'sonde.mode', problem: 'expected ("active" | "passive"), got "loud"' },
      { field: 'sonde.interval_s', problem: 'expected number, got "fast"' },
      {
        field: 'sonde.time_zone',
        problem: 'expected an IANA time zone such as UTC or America/Los_Angeles, got "Mars/Olympus"',
      },
      {
        field: 'destinations[0].url',
        problem:
          'expected an http:// or https:// URL such as https://sink.example.org/transportDspMessages, got "ftp://x"',
      },
      { field: 'queue.max_messages', problem: 'expected >=10, got 5' },
      { field: 'upload.max_messages', problem: 'expected number, got "ten"' },
      {
        field: 'upload.intervl_s',
        problem: expect.stringMatching(
          /^expected one of interval_s, max_messages, .*data_plan_overhead_bytes \(unknown key\)$/,
        ),
      },
    ]);
  });

  it('checks across tables once each table is valid: tokens, destination names, backoff bounds', () => {
    const r = parseConfigText(`
[gateway]
id = "bay-01"
[[destinations]]
name = "sink"
url = "http://x/"
[[destinations]]
name = "sink"
url = "http://y/"
token = "t"
[[rules]]
id = "r1"
destination = "nowhere"
[[rules]]
id = "r2"
producer_address = "KEEP"
[upload]
backoff_base_s = 10
backoff_cap_s = 5
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byField = Object.fromEntries(r.errors.map((e) => [e.field, e.problem]));
    expect(byField['upload.backoff_cap_s']).toMatch(/^must be at least backoff_base_s/);
    expect(byField['rules[1].producer_address']).toMatch(
      /^expected a criterion \(ANY, .*KEEP is a target keyword, got "KEEP"$/,
    );
    expect(byField['rules[1].target_consumer_type']).toMatch(/^a local rule needs a target component type/);
    const fixed = parseConfigText(
      `[gateway]\nid = "bay-01"\n[[destinations]]\nname = "sink"\nurl = "http://x/"\n` +
        `[[destinations]]\nname = "sink"\nurl = "http://y/"\ntoken = "t"\n[[rules]]\nid = "r1"\ndestination = "nowhere"\n`,
    );
    expect(fixed.ok).toBe(false);
    if (fixed.ok) return;
    expect(fixed.errors).toEqual([
      { field: 'destinations[0].token', problem: 'is required here or in [gateway] (or client_cert_file)' },
      { field: 'destinations[1].name', problem: 'duplicate name "sink"' },
      { field: 'rules[0].destination', problem: 'names no [[destinations]] entry (known: sink)' },
    ]);
  });

  it('refuses the wrong types and out-of-range values that used to pass or break later', () => {
    const cases: [string, string, string][] = [
      ['[queue]\ngroup_commit_ms = 5000', 'queue.group_commit_ms', 'expected <=1000, got 5000'],
      ['[upload]\ngzip = "false"', 'upload.gzip', 'expected boolean, got "false"'],
      ['[upload]\nmax_in_flight = 1.5', 'upload.max_in_flight', 'expected integer, got 1.5'],
      ['[upload]\ninterval_s = 0', 'upload.interval_s', 'expected >0, got 0'],
      [
        '[status]\nlisten = "8421"',
        'status.listen',
        'expected HOST:PORT such as 127.0.0.1:8421, or "" to disable, got "8421"',
      ],
      ['[commands]\nprovisional_timeout_s = -5', 'commands.provisional_timeout_s', 'expected >0, got -5'],
      ['[sonde]\nport = ""', 'sonde.port', 'expected length >=1, got length 0'],
      ['[sonde]\nupload_format = "kermit"', 'sonde.upload_format', 'expected ("ascii" | "binary"), got "kermit"'],
      ['sonde = 3', 'sonde', 'expected Object, got 3'],
    ];
    for (const [extra, field, problem] of cases) {
      const r = parseConfigText(extra.startsWith('sonde =') ? extra + MINIMAL : MINIMAL + extra);
      expect(r.ok ? [] : r.errors, extra).toEqual([{ field, problem }]);
    }
    const long = parseConfigText(MINIMAL.replace('"secret"', `"${'x'.repeat(5000)}"`));
    expect(long.ok ? [] : long.errors).toEqual([
      { field: 'gateway.token', problem: 'expected length <=4096, got a string' },
    ]);
  });

  it('reads token_file, and refuses it beside token or when it cannot be read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    writeFileSync(path.join(dir, 'token'), '  abc\n');
    const withFile = (file: string, extra = '') =>
      parseConfigText(MINIMAL.replace('token = "secret"', `token_file = "${file}"${extra}`));
    const ok = withFile(path.join(dir, 'token'));
    expect(ok.ok && ok.config.destinations[0]!.token).toBe('abc');
    const both = withFile(path.join(dir, 'token'), '\ntoken = "x"');
    expect(both.ok ? [] : both.errors).toEqual([
      { field: 'gateway.token_file', problem: expect.stringMatching(/^give token or token_file, not both/) },
    ]);
    const missing = withFile(path.join(dir, 'nope'));
    expect(missing.ok ? [] : missing.errors.map((e) => e.field)).toEqual(['gateway.token_file']);
  });

  it('reads the TLS files and pins of a destination, and names each wrong one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const pem = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';
    writeFileSync(path.join(dir, 'ca.pem'), pem);
    writeFileSync(path.join(dir, 'not.pem'), 'hello');
    const pin = 'A'.repeat(43) + '=';
    const withTls = (lines: string) => parseConfigText(`${MINIMAL}${lines}\n`);
    const ok = withTls(`ca_file = "${path.join(dir, 'ca.pem')}"\npinned_pubkey = "sha256//${pin}"`);
    expect(ok.ok && ok.config.destinations[0]!.tls).toEqual({ ca: pem, pinnedPubkeys: [pin] });
    const badPin = withTls('pinned_pubkey = ["short"]');
    expect(badPin.ok ? [] : badPin.errors.map((e) => e.field)).toEqual(['destinations[0].pinned_pubkey']);
    const badFiles = withTls(
      [`ca_file = "${path.join(dir, 'not.pem')}"`, `client_cert_file = "${path.join(dir, 'ca.pem')}"`].join('\n'),
    );
    expect(badFiles.ok ? [] : badFiles.errors.map((e) => e.field).sort()).toEqual([
      'destinations[0].ca_file',
      'destinations[0].client_key_file',
    ]);
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
