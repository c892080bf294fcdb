// The dsp-agent command-line contract: check-config exit codes and messages, --help on each command,
// status against a running agent.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENT_CLI, startAgent, writeAgentConfig } from '../../lab/agent-process.js';
import { runCliToEnd } from '../../lab/cli-process.js';
import { pollUntil } from '../../lab/poll.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agent-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => runCliToEnd(AGENT_CLI, args);

describe('dsp-agent command line', () => {
  it('check-config: exit 0 and "ok" for a valid file, exit 2 with one line per problem otherwise', async () => {
    const good = path.join(dir, 'good.toml');
    writeAgentConfig(good, {
      dataDir: dir,
      sinkUrl: 'http://127.0.0.1:1/transportDspMessages',
      gatewayId: 'gw-1',
      token: 't',
    });
    expect(await cli(['check-config', good])).toMatchObject({ code: 0, stdout: 'ok\n' });

    const bad = path.join(dir, 'bad.toml');
    writeFileSync(bad, '[gateway]\nid = "gw 1"\n[sonde]\ninterval_s = -1\n');
    const r = await cli(['check-config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'gateway.id: expected 1 to 64 letters, digits, "_", "." or "-", got "gw 1"',
      'sonde.interval_s: expected >=0.1, got -1',
      'destinations: is required',
    ]);
    expect((await cli(['check-config', path.join(dir, 'missing.toml')])).code).toBe(2);
    expect((await cli(['check-config'])).code).toBe(1);
  });

  it('prints help for each command and refuses to run without a config', async () => {
    for (const args of [['--help'], ['check-config', '--help'], ['status', '--help']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: dsp-agent/);
    }
    const none = await cli([]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Usage: dsp-agent --config FILE/);
    const invalid = await cli(['--config', path.join(dir, 'bad.toml')]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/invalid configuration\ngateway\.id/);
  });

  it("status prints a running agent's state for a person, and fails clearly when none answers", async () => {
    const config = path.join(dir, 'run.toml');
    writeAgentConfig(config, {
      dataDir: path.join(dir, 'data'),
      sinkUrl: 'http://127.0.0.1:1/transportDspMessages',
      gatewayId: 'gw-status',
      token: 't',
    });
    const agent = await startAgent(config);
    try {
      // Until the sonde streams and an upload to the dead sink URL has failed (the state `status` shows).
      await pollUntil(
        async () => (await fetch(`${agent.statusUrl}/metrics`)).text(),
        (text) =>
          /^dsp_agent_driver_state\{state="streaming"\} 1$/m.test(text) &&
          /^dsp_agent_retries_total\{destination="sink",reason="network"\} [1-9]/m.test(text),
        10_000,
        50,
      );
      const r = await cli(['status', '--url', agent.statusUrl]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^gateway +gw-status: DEGRADED/);
      expect(r.stdout).toMatch(/no recent contact with sink/);
      expect(r.stdout).toMatch(/sonde +streaming/);
      expect(r.stdout).toMatch(/queued \d+ messages/);
      const health = await (await fetch(`${agent.statusUrl}/healthz`)).json();
      expect(health).toMatchObject({ status: 'degraded' });
      const metrics = await (await fetch(`${agent.statusUrl}/metrics`)).text();
      expect(metrics).toMatch(/^dsp_agent_queue_messages\{destination="sink"\} \d+$/m);
      expect(metrics).toMatch(/^dsp_agent_driver_state\{state="streaming"\} 1$/m);
      expect(metrics).toMatch(/^dsp_agent_retries_total\{destination="sink",reason="network"\} [1-9]/m);
    } finally {
      agent.child.kill('SIGTERM');
      expect(await agent.exited).toBe(0);
    }
    const down = await cli(['status', '--url', agent.statusUrl]);
    expect(down.code).toBe(1);
    expect(down.stderr).toBe(
      `cannot read the agent's status at ${agent.statusUrl}: nothing listens there (is the agent running?)\n`,
    );
  });
});
