// The RS-232 cable of the end-to-end tests: a socat pty pair. The simulated sonde opens one end, the
// agent (through the real serialport binding) the other.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pollUntil } from './poll.js';

export interface SerialLink {
  sondePath: string;
  gatewayPath: string;
  close(): Promise<void>;
}

export async function startSerialLink(dir: string): Promise<SerialLink> {
  if (spawnSync('socat', ['-V']).error)
    throw new Error('socat is needed for the end-to-end tests (apt-get install socat; .ci/run does it)');
  const sondePath = path.join(dir, 'sonde');
  const gatewayPath = path.join(dir, 'gateway');
  const socat: ChildProcess = spawn(
    'socat',
    [`pty,raw,echo=0,link=${sondePath}`, `pty,raw,echo=0,link=${gatewayPath}`],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => socat.once('exit', () => resolve()));
  await pollUntil(
    async () => existsSync(sondePath) && existsSync(gatewayPath),
    (ok) => ok,
    5000,
    20,
  );
  return {
    sondePath,
    gatewayPath,
    async close() {
      if (socat.exitCode === null && socat.signalCode === null) socat.kill('SIGTERM');
      await exited;
    },
  };
}
