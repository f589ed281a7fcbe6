import { hostname } from 'node:os';
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DataDirInUseError } from '../errors.js';

/** The lock file's name inside a PGlite data directory (PostgreSQL ignores files it does not know). */
export const DATA_DIR_LOCK = 'aegis.lock';

interface Owner {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

/** Directories this process holds: a second open in the same process is refused too. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): Owner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' ? (owner as Owner) : undefined;
  } catch {
    return undefined;
  }
}

/** An unreadable lock file written in the last two seconds is another process still writing it. */
function justWritten(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 2000;
  } catch {
    return false;
  }
}

/** Whether the recorded owner still holds the directory (a dead pid, or ours from before a restart, does not). */
function holds(owner: Owner, dir: string): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return held.has(dir);
  return alive(owner.pid);
}

/**
 * Takes the data directory for this process: writes `aegis.lock` (pid, host, command, start time) exclusively,
 * or throws `DataDirInUseError` naming the live process that has it. A lock left by a process that died is
 * taken over. Returns the release function (removes the file if it is still ours).
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, DATA_DIR_LOCK);
  const me: Owner = {
    pid: process.pid,
    host: hostname(),
    command: path.basename(process.argv[1] ?? process.argv0) + (process.argv[2] ? ` ${process.argv[2]}` : ''),
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      held.add(dir);
      return () => {
        held.delete(dir);
        if (readOwner(file)?.pid === me.pid) unlinkSync(file);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (owner && holds(owner, dir)) throw new DataDirInUseError(dir, owner);
    if (!owner && justWritten(file)) break;
    // Stale (its process is gone) or left half-written by a process that died: take it over.
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new DataDirInUseError(dir, readOwner(file) ?? { pid: 0, command: 'unknown', startedAt: 'unknown' });
}
