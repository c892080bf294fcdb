// `dsp-agent status`: asks a running agent's status listener and prints the answer for a person.
// node:http, as the uploads (transport/http-client.ts): the agent loads no second HTTP library.

import http from 'node:http';
import { readLimited } from '../transport/read-limited.js';
import type { AgentStatus } from './agent-status.js';

/** Connect, answer and body together: the listener is on this machine and answers at once. */
const TIMEOUT_MS = 5000;
/** The status document is a few kilobytes. */
const MAX_STATUS_BYTES = 1024 * 1024;

export async function fetchStatus(baseUrl: string): Promise<AgentStatus> {
  const url = new URL('/status', baseUrl);
  if (url.protocol !== 'http:') throw new Error(`the status listener speaks http://, not ${url.protocol}//`);
  const { status, body } = await get(url);
  if (status !== 200) throw new Error(`status listener answered HTTP ${status}`);
  try {
    return JSON.parse(body.toString('utf8')) as AgentStatus;
  } catch {
    throw new Error('the status listener answered something other than JSON');
  }
}

function get(url: URL): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    const fail = (error: NodeJS.ErrnoException): void => {
      clearTimeout(timer);
      reject(error.code === 'ECONNREFUSED' ? new Error('nothing listens there (is the agent running?)') : error);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      readLimited(res, MAX_STATUS_BYTES).then((body) => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      }, fail);
    });
  });
}

export function formatStatus(s: AgentStatus): string {
  const lines = [
    `gateway   ${s.gateway}: ${s.health.ok ? 'healthy' : 'DEGRADED'}`,
    ...s.health.problems.map((p) => `          - ${p}`),
    `sonde     ${s.sonde.state}${s.sonde.connected ? '' : ' (not connected)'}, serial ${s.sonde.serialNumber ?? '?'}, every ${s.sonde.intervalS} s`,
    ...(s.sonde.openFailure
      ? [
          `          port cannot be opened since ${s.sonde.openFailure.since}: ${s.sonde.openFailure.reason} (${s.sonde.openFailure.message})`,
        ]
      : []),
    `          readings ${s.sonde.readings} parsed, ${s.readingsTaken} queued, rejected ${JSON.stringify(s.sonde.rejected)}, last ${s.sonde.lastReadingAt ?? 'never'}`,
    `upload    every ${s.uploadIntervalS} s`,
  ];
  for (const d of s.destinations) {
    lines.push(
      `${d.name.padEnd(9)} ${d.url}`,
      `          queued ${d.queued} messages (${d.queuedBytes} bytes), oldest ${d.oldestAgeS} s, last sequence ${d.lastSequence}, dropped ${d.dropped}`,
      `          last contact ${d.lastContact ?? 'never'}${d.clockOffsetMs === null ? '' : `, sink clock offset ${Math.round(d.clockOffsetMs)} ms`}`,
    );
    if (d.tokenRefused !== null) lines.push(`          sink refuses our token (${d.tokenRefused})`);
    if (d.recoveredFrom) lines.push(`          store was damaged and repaired; a copy is kept at ${d.recoveredFrom}`);
    if (d.storeProblem) lines.push(`          store not writable: ${d.storeProblem}`);
  }
  if (Object.keys(s.remoteOverrides).length > 0) lines.push(`remote    ${JSON.stringify(s.remoteOverrides)}`);
  return lines.join('\n');
}
