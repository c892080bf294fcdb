// Problems a person must see as what they are, on a real agent process: a serial device that cannot be
// opened (logged once per reason, its reason in /status and /metrics, check-config warns about it), and a
// sink that refuses the agent's token (not "lost contact": waiting will not fix it).

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentStatus } from '../../agent/status/agent-status.js';
import { AGENT_CLI, startAgent, writeAgentConfig, type RunningAgent } from '../../lab/agent-process.js';
import { TestSink } from '../support/agent/test-sink.js';
import { pollUntil } from '../../lab/poll.js';

const dir = mkdtempSync(path.join(tmpdir(), 'agent-problems-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [AGENT_CLI, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function stop(agent: RunningAgent): Promise<void> {
  agent.child.kill('SIGTERM');
  expect(await agent.exited).toBe(0);
}

describe('dsp-agent status and logs name the problem', () => {
  it('a missing serial device: check-config warns, the agent logs it once, /status and /metrics give ENOENT', async () => {
    const device = path.join(dir, 'ttyUSB-missing');
    const config = path.join(dir, 'serial.toml');
    writeAgentConfig(config, {
      dataDir: path.join(dir, 'serial-data'),
      sinkUrl: 'http://127.0.0.1:9/transportDspMessages',
      gatewayId: 'gw-serial',
      token: 'tok',
      sections: { gateway: { log_level: 'debug' }, sonde: { simulate: false, port: device } },
    });
    const check = await cli(['check-config', config]);
    expect(check).toMatchObject({ code: 0, stdout: 'ok\n' });
    expect(check.stderr).toBe(
      `warning: sonde.port: ${device} does not exist (not plugged in?); the agent will keep trying to open it\n`,
    );

    const agent = await startAgent(config);
    try {
      // Several retries, each one a debug line; the failure itself is a warning once.
      await pollUntil(
        async () => agent.logs.filter((l) => l.msg === 'reopening serial port').length,
        (n) => n >= 3,
        15_000,
      );
      const warnings = agent.logs.filter((l) => l.msg === 'serial port cannot be opened');
      expect(warnings).toEqual([expect.objectContaining({ level: 'warn', reason: 'ENOENT' })]);

      const status = (await (await fetch(`${agent.statusUrl}/status`)).json()) as AgentStatus;
      expect(status.sonde.openFailure).toMatchObject({ reason: 'ENOENT', message: expect.stringMatching(/No such/) });
      expect(status.health.problems).toContainEqual(expect.stringMatching(/^sonde port cannot be opened: ENOENT/));
      const metrics = await (await fetch(`${agent.statusUrl}/metrics`)).text();
      expect(metrics).toMatch(/^dsp_agent_serial_open_failure\{reason="ENOENT"\} 1$/m);
      expect(metrics).toMatch(/^dsp_agent_serial_open_failure\{reason="EBUSY"\} 0$/m);
      const printed = await cli(['status', '--url', agent.statusUrl]);
      expect(printed.stdout).toMatch(/port cannot be opened since .*: ENOENT/);
    } finally {
      await stop(agent);
    }
  });

  it('a sink refusing our token shows as "sink refuses our token (401)", not as lost contact', async () => {
    const sink = await TestSink.start('the-right-token', 'gw-token');
    const config = path.join(dir, 'token.toml');
    writeAgentConfig(config, {
      dataDir: path.join(dir, 'token-data'),
      sinkUrl: sink.url,
      gatewayId: 'gw-token',
      token: 'a-wrong-token',
    });
    const agent = await startAgent(config);
    try {
      const printed = await pollUntil(
        () => cli(['status', '--url', agent.statusUrl]),
        (r) => /sink refuses our token \(401\)/.test(r.stdout),
        15_000,
      );
      expect(printed.stdout).toMatch(/^gateway +gw-token: DEGRADED\n +- sink refuses our token \(401\)$/m);
      expect(printed.stdout).not.toMatch(/no recent contact/);
    } finally {
      await stop(agent);
      await sink.close();
    }
  });
});
