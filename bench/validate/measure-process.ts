import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** What one whole process cost: wall-clock and CPU (user + system) seconds, and how it ended. */
export interface ProcessCost {
  wall: number;
  cpu: number | undefined;
  /** Peak resident memory in MiB (GNU time), when known. */
  maxRssMiB: number | undefined;
  status: number | null;
  stdout: string;
}

const TIME = '/usr/bin/time';

/**
 * Runs a command to completion and measures it as a whole process. CPU seconds come from GNU time when it
 * is installed; they matter on a shared machine, where wall-clock time also counts other people's work.
 */
export function measureProcess(command: string, args: string[], cwd: string): ProcessCost {
  const withTime = existsSync(TIME);
  const started = performance.now();
  const result = withTime
    ? spawnSync(TIME, ['-f', '@@cpu %U %S %M', command, ...args], {
        cwd,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      })
    : spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = (performance.now() - started) / 1000;
  const match = /@@cpu ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr ?? '');
  const cpu = match ? Number(match[1]) + Number(match[2]) : undefined;
  const maxRssMiB = match ? Number(match[3]) / 1024 : undefined;
  return { wall, cpu, maxRssMiB, status: result.status, stdout: result.stdout ?? '' };
}

/** The median of some numbers (the middle run of three is robust to one disturbed run). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
