import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Timing primitives shared by every benchmark. All times are wall-clock
 * milliseconds: what a user waiting for a command sees, including process
 * start-up and writing the output.
 */

export interface Stats {
  runs: number;
  median: number;
  min: number;
  max: number;
  /** The first run in this process, before the JIT and caches were warm
   * (in-process benchmarks only; whole-process runs are all cold starts). */
  first?: number;
}

export function summarize(times: readonly number[], withFirst = false): Stats {
  if (times.length === 0) throw new Error('no samples');
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const s: Stats = { runs: times.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
  if (withFirst) s.first = times[0];
  return s;
}

/** bpfkit / reference, for the median and for the minimum: > 1 means bpfkit
 * is slower. The minimum is the least noisy estimate on a busy machine, the
 * median the more typical one; both come from the same interleaved run. */
export interface Ratio {
  median: number;
  min: number;
}

export function ratio(ours: Stats, theirs: Stats): Ratio {
  return { median: ours.median / theirs.median, min: ours.min / theirs.min };
}

/** A whole-process command. */
export interface Command {
  label: string;
  file: string;
  args: readonly string[];
}

/** Where a command's stdout goes: /dev/null, or a regular file that is
 * truncated before each run (bpftool's stdio behaves differently for files,
 * and a file makes both sides pay for the write). */
export type StdoutTarget = { kind: 'null' } | { kind: 'file'; path: string };

export class CommandFailed extends Error {}

/** Run a command once and return its wall time. The output file is opened
 * (and truncated) before the clock starts so only the command is timed. */
export function runOnce(cmd: Command, stdout: StdoutTarget): number {
  const fd = openSync(stdout.kind === 'null' ? '/dev/null' : stdout.path, 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(cmd.file, cmd.args, { stdio: ['ignore', fd, 'pipe'], maxBuffer: 1 << 20 });
    const t1 = performance.now();
    if (r.error !== undefined) throw new CommandFailed(`${cmd.label}: ${r.error.message}`);
    if (r.status !== 0) {
      const why = r.signal !== null ? `signal ${r.signal}` : `exit status ${r.status}`;
      throw new CommandFailed(`${cmd.label} failed (${why}): ${r.stderr.toString().trim().slice(0, 500)}`);
    }
    return t1 - t0;
  } finally {
    closeSync(fd);
  }
}

export interface AlternateOptions {
  runs: number;
  /** Stdout of command `c` (index into the list). */
  stdout: (c: number) => StdoutTarget;
  progress?: (done: number, total: number) => void;
}

/**
 * Run several commands `runs` times each, interleaved A, B, A, B, … so that
 * whatever else the machine does during the measurement (other test runs,
 * page-cache pressure, CPU frequency) falls on every command alike. The
 * ratios taken from one such run are therefore fairer than ratios of two
 * separate runs.
 */
export function runAlternating(cmds: readonly Command[], opts: AlternateOptions): Stats[] {
  const times: number[][] = cmds.map(() => []);
  const total = opts.runs * cmds.length;
  let done = 0;
  for (let i = 0; i < opts.runs; i++) {
    for (let c = 0; c < cmds.length; c++) {
      times[c].push(runOnce(cmds[c], opts.stdout(c)));
      opts.progress?.(++done, total);
    }
  }
  return times.map((t) => summarize(t));
}

/**
 * Time an in-process function `runs` times. `setup` runs before each timed
 * call and is not timed (for example, a fresh parse before timing a decode);
 * its result is handed to `fn`. A full garbage collection runs between
 * samples when available, so one run's garbage is not collected on the next
 * run's clock.
 */
export function timeInProcess<T>(
  runs: number,
  setup: () => T,
  fn: (input: T) => unknown,
  progress?: (done: number, total: number) => void,
): Stats {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const input = setup();
    collectGarbage();
    const t0 = performance.now();
    fn(input);
    times.push(performance.now() - t0);
    progress?.(i + 1, runs);
  }
  return summarize(times, true);
}

let gcFn: (() => void) | null | undefined;

/** V8's gc(), reached without `--expose-gc` on the command line (the npm
 * script is plain `node dist/bench/main.js`): the flag can still be set at
 * run time, and gc() then exists in every context created afterwards. */
export function collectGarbage(): void {
  if (gcFn === undefined) gcFn = lookupGc();
  gcFn?.();
}

function lookupGc(): (() => void) | null {
  const g = (globalThis as { gc?: unknown }).gc;
  if (typeof g === 'function') return g as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const f: unknown = runInNewContext('gc');
    return typeof f === 'function' ? (f as () => void) : null;
  } catch {
    return null; // timings stay valid, only noisier
  }
}
