import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths and facts about the machine the benchmarks run on. */

/** dist/bench/ → the repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../cli/main.js', import.meta.url));
export const corpusDir = join(repoRoot, '..', 'shared', 'corpus');
export const DEFAULT_VMLINUX = '/sys/kernel/btf/vmlinux';

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Find a working bpftool. Debian installs it in /usr/sbin, which a non-root
 * PATH often lacks, so the sbin directories are searched too. `bpftool
 * version` must succeed: Debian's /usr/sbin/bpftool can be a wrapper that
 * fails when no kernel-specific build is installed.
 */
export function findBpftool(explicit?: string): { path: string } | { missing: string } {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const d of ['/usr/sbin', '/sbin', '/usr/local/sbin']) if (!dirs.includes(d)) dirs.push(d);
  const candidates = explicit !== undefined ? [explicit] : dirs.map((d) => join(d, 'bpftool'));
  const found = candidates.find(executable);
  if (found === undefined) {
    return { missing: explicit !== undefined ? `bpftool not executable at ${explicit}` : 'bpftool not found on PATH or in /usr/sbin' };
  }
  const r = spawnSync(found, ['version'], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) return { missing: `${found} version failed: ${String(r.stderr ?? r.error?.message ?? '').trim()}` };
  return { path: found };
}

export function bpftoolVersion(path: string): string {
  const r = spawnSync(path, ['version'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return String(r.stdout ?? '').split('\n').slice(0, 2).join(', ').trim();
}

export interface Machine {
  node: string;
  cpus: number;
  cpuModel: string;
  kernel: string;
  memoryGiB: number;
  /** 1-minute load average when the run started and ended: other work on the
   * machine (a concurrent test run) shows up here and in the spread. */
  loadStart: number;
  loadEnd?: number;
}

export function machine(): Machine {
  const c = cpus();
  return {
    node: process.version,
    cpus: c.length,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    kernel: release(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadStart: loadavg()[0],
  };
}
