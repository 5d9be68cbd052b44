/**
 * Process bookkeeping that guarantees no stray JVMs.
 *
 * Every process a cluster starts (controller, brokers, test consumers) is a detached child that
 * carries the marker `-Dkafkatop.cluster=<dataDir>` on its command line and is appended to
 * `<dataDir>/pids` ("pid role name" per line). Killing goes through that file and checks the
 * marker first, so a recycled pid is never hit. A detached bash reaper watches the Node process
 * that owns the cluster and, when it dies without calling stop() (ctrl-c, crash, killed test
 * run), kills everything in the pids file and removes the data directory.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Written into every data directory this module creates; nothing without it is ever deleted. */
const OWNERSHIP_MARK = '.kafkatop-cluster';

export interface TrackedProcess {
  pid: number;
  role: string;
  name: string;
}

export function markerArg(dataDir: string): string {
  return `-Dkafkatop.cluster=${dataDir}`;
}

/**
 * Creates `dataDir` atomically and marks it as ours, recording the owner pid (the process whose
 * life the cluster is bound to; null for a dev cluster that outlives its starter). Returns false
 * when another process created it first.
 */
export function claimDataDir(dataDir: string, ownerPid: number | null): boolean {
  mkdirSync(dirname(dataDir), { recursive: true });
  try {
    mkdirSync(dataDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeFileSync(join(dataDir, OWNERSHIP_MARK), `${ownerPid ?? 'none'}\n`);
  return true;
}

/**
 * The live process a cluster in `dataDir` belongs to, or null when it has none (a dev cluster) or
 * its owner is gone (a stale cluster, safe to replace).
 */
export function liveOwner(dataDir: string): number | null {
  let owner: number;
  try {
    owner = Number(readFileSync(join(dataDir, OWNERSHIP_MARK), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid) return null;
  try {
    process.kill(owner, 0);
    return owner;
  } catch {
    return null;
  }
}

export function ownsDataDir(dataDir: string): boolean {
  return existsSync(join(dataDir, OWNERSHIP_MARK));
}

export function removeDataDir(dataDir: string): void {
  if (ownsDataDir(dataDir)) rmSync(dataDir, { recursive: true, force: true });
}

function pidsFile(dataDir: string): string {
  return join(dataDir, 'pids');
}

export function readTracked(dataDir: string): TrackedProcess[] {
  if (!existsSync(pidsFile(dataDir))) return [];
  return readFileSync(pidsFile(dataDir), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pid, role, name] = line.split(' ');
      return { pid: Number(pid), role: role ?? '', name: name ?? '' };
    })
    .filter((p) => Number.isInteger(p.pid) && p.pid > 0);
}

function commandLine(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return null;
  }
}

/** Alive and still ours: exists, is not a zombie, and carries this cluster's marker. */
export function isOurs(pid: number, dataDir: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    return false;
  }
  return commandLine(pid)?.includes(markerArg(dataDir)) ?? false;
}

/** Stopped by SIGSTOP (state T). */
export function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'T';
  } catch {
    return false;
  }
}

export interface SpawnTrackedOptions {
  dataDir: string;
  role: string;
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr go here (appended), never to the test's console. */
  logFile: string;
  cwd?: string;
}

/** Starts a detached, tracked process. The marker must already be part of `args`. */
export function spawnTracked(options: SpawnTrackedOptions): ChildProcess {
  if (!options.args.includes(markerArg(options.dataDir))) {
    throw new Error(`refusing to start an untracked process: ${options.command} lacks the cluster marker`);
  }
  const out = openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', out, out],
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.command} (${options.role})`);
  // Tolerate spawn errors here; the caller notices the process is not alive.
  child.on('error', () => {});
  child.unref();
  appendFileSync(pidsFile(options.dataDir), `${child.pid} ${options.role} ${options.name}\n`);
  return child;
}

export async function waitForExit(pid: number, dataDir: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isOurs(pid, dataDir)) return true;
    await sleep(50);
  }
  return !isOurs(pid, dataDir);
}

/** Sends `signal`; with SIGTERM waits up to `graceMs` and then SIGKILLs. Resolves once it is gone. */
export async function stopProcess(
  pid: number,
  dataDir: string,
  signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL',
  graceMs = 30_000,
): Promise<void> {
  if (!isOurs(pid, dataDir)) return;
  // A paused (SIGSTOP) process only acts on SIGTERM once continued.
  if (signal === 'SIGTERM') process.kill(pid, 'SIGCONT');
  process.kill(pid, signal);
  if (await waitForExit(pid, dataDir, signal === 'SIGKILL' ? 10_000 : graceMs)) return;
  if (isOurs(pid, dataDir)) process.kill(pid, 'SIGKILL');
  if (!(await waitForExit(pid, dataDir, 10_000))) throw new Error(`process ${pid} did not exit`);
}

/** Synchronous SIGKILL of everything recorded, for process 'exit' handlers. */
export function killAllSync(dataDir: string): void {
  for (const p of readTracked(dataDir)) {
    if (isOurs(p.pid, dataDir)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

export async function killAll(dataDir: string): Promise<void> {
  await Promise.all(readTracked(dataDir).map((p) => stopProcess(p.pid, dataDir, 'SIGKILL')));
}

// The data directory is the owner's only while its mark names the owner: after a normal stop() the next
// run (CI's Kafka 4 suite right after the Kafka 3 one) may claim the same directory within the reaper's
// second of sleep, and killing and removing that cluster mid-start failed CI.
const REAPER_SCRIPT = `
owner="$1"; data="$2"; marker="-Dkafkatop.cluster=$data"
ours() { [ "$(cat "$data/${OWNERSHIP_MARK}" 2>/dev/null)" = "$owner" ]; }
while kill -0 "$owner" 2>/dev/null && ours; do sleep 1; done
ours || exit 0
while read -r pid rest; do
  if tr '\\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then kill -9 "$pid" 2>/dev/null; fi
done < "$data/pids"
sleep 1
ours && rm -rf "$data"
`;

/**
 * Starts the detached reaper for `dataDir`, watching `ownerPid`. It exits by itself once the
 * data directory is gone (a normal stop()).
 */
export function startReaper(dataDir: string, ownerPid: number): void {
  const reaper = spawn('bash', ['-c', REAPER_SCRIPT, 'kafkatop-reaper', String(ownerPid), dataDir], {
    detached: true,
    stdio: 'ignore',
  });
  reaper.unref();
}
