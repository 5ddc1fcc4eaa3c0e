/**
 * The counts a fuzz run accumulates, and how failures are grouped into
 * distinct bugs (signature) with one reproducible example each.
 */
import type { SubjectKind } from './subjects.js';
import { TARGETS, type Outcome, type Target } from './targets.js';

export interface Failure {
  seed: number;
  index: number;
  subject: string;
  mutators: string;
  target: Target | 'case';
  outcome: Outcome;
  message: string;
  stack?: string;
  note?: string;
  /** What makes two failures "the same bug" (see signature()). */
  signature: string;
  /** How many failures had this signature. */
  count: number;
}

export interface Tally {
  seed: number;
  cases: number;
  elapsedMs: number;
  /** Per case: the first bug, else the first error code, else 'ok'. */
  outcomes: Partial<Record<Outcome, number>>;
  /** Per entry point, counting every time it ran. */
  targets: Record<Target, Partial<Record<Outcome, number>>>;
  /** Per entry point, total milliseconds spent in it. */
  targetMs: Record<Target, number>;
  /** Per mutator (each of a stacked case counts): cases, fully ok, bugs. */
  mutators: Record<string, { cases: number; ok: number; bugs: number }>;
  subjects: Record<SubjectKind, number>;
  bugs: number;
  /** One example (the first) of each distinct bug, with what is needed to
   * reproduce it, in order of first appearance. */
  failures: Failure[];
  slowest: { index: number; ms: number; subject: string; mutators: string } | undefined;
  maxAllocated: { index: number; bytes: number } | undefined;
  startRss: number;
  peakRss: number;
}

/**
 * Failures of one kind from one place count as one bug: the outcome, the
 * target, the error class, its message with numbers blanked out, and the
 * innermost stack frame outside the harness.
 */
export function signature(f: Pick<Failure, 'outcome' | 'target' | 'message' | 'stack' | 'note'>): string {
  const msg = f.message
    // BpfkitError messages start with the location; keep the detail.
    .replace(/^BpfkitError: .*?: (?=[^:]*\([A-Z_]+\)$)/, 'BpfkitError: ')
    .replace(/0x[0-9a-f]+|\d+/gi, 'N');
  const frame = (f.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .find((l) => !l.includes('/fuzz/'));
  const where = frame?.replace(/:\d+:\d+\)?$/, '') ?? '';
  const note = (f.note ?? '').replace(/"[^"]*"/g, 'S').replace(/\d+/g, 'N');
  return [f.outcome, f.target, msg, note, where].join(' | ');
}

export function describeError(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return { message: `${e.name}: ${e.message}`, stack: e.stack };
  return { message: String(e) };
}

export function emptyTally(seed: number): Tally {
  const targets = {} as Tally['targets'];
  const targetMs = {} as Tally['targetMs'];
  for (const t of TARGETS) {
    targets[t] = {};
    targetMs[t] = 0;
  }
  return {
    seed,
    cases: 0,
    elapsedMs: 0,
    outcomes: {},
    targets,
    targetMs,
    mutators: {},
    subjects: { elf: 0, btf: 0, btfext: 0 },
    bugs: 0,
    failures: [],
    slowest: undefined,
    maxAllocated: undefined,
    startRss: process.memoryUsage.rss(),
    peakRss: 0,
  };
}

export function bump<K extends string>(m: Partial<Record<K, number>>, k: K): void {
  m[k] = (m[k] ?? 0) + 1;
}
