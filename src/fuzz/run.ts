/**
 * The fuzz loop: plan each case from (seed, index), mutate, run the entry
 * points, classify, tally.
 *
 * Hangs: JavaScript cannot interrupt a synchronous loop from the same
 * thread, so cases run inside vm.Script#runInContext with a timeout. V8's
 * watchdog then terminates whatever JavaScript is running, including the
 * parsers called from the script (no finally block of theirs runs, so
 * `current` still names the stage that hung). Starting that watchdog
 * costs ~0.1 ms, so cases run in chunks under one timeout; when a chunk
 * times out, the case that was running is a hang if it had the whole
 * budget to itself, and is otherwise re-run alone under the same limit.
 *
 * Allocations: a count that is trusted before being checked shows up as a
 * jump in heap plus external (ArrayBuffer) memory during one case. A
 * collection in the middle of a case can hide a short-lived allocation, so
 * this is a net rather than a proof; the process RSS is sampled as a
 * backstop, and a size past 2 GiB fails as a RangeError (OTHER) anyway.
 */
import vm from 'node:vm';
import { GZIP, applicableMutators, type Mutator } from './mutators/index.js';
import { caseRng, type Rng } from './rng.js';
import { loadSubjects, type Subject, type SubjectKind } from './subjects.js';
import { TARGETS, current, hungStage, isBug, runTargets, type Outcome, type StageResult, type Target } from './targets.js';

/** What runs the entry points on one input; replaceable so tests can check
 * that the harness itself catches hangs, crashes and runaway allocations. */
export type TargetRunner = (subject: Subject, bytes: Uint8Array, which?: CaseId) => StageResult[];

/** Which case of which run an input is (for stages run on a subset). */
export interface CaseId {
  seed: number;
  index: number;
}

export interface CasePlan {
  index: number;
  subject: Subject;
  /** Mutator names in the order applied. */
  mutators: string[];
  bytes: Uint8Array;
  /** Offset of the input inside a larger ArrayBuffer (0: it owns it). */
  embedded: number;
}

export interface CaseResult {
  index: number;
  subject: string;
  mutators: string;
  stages: StageResult[];
  outcome: Outcome;
  ms: number;
  /** Heap + external memory growth during the case, in bytes. */
  allocated: number;
}

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

export interface Progress {
  done: number;
  cases: number;
  elapsedMs: number;
  bugs: number;
}

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** First case index (to resume or shard a run). */
  start?: number;
  /** A case running longer than this is a hang (default 2000 ms). */
  hangMs?: number;
  /** Memory growth within one case that counts as a runaway allocation. */
  allocLimit?: number;
  /** RSS above the starting RSS that counts as a runaway (default 1 GiB). */
  rssLimit?: number;
  /** How many distinct bugs to keep an example of (default 20). */
  keepFailures?: number;
  /** Called about every progressMs (default 250). */
  onProgress?: (p: Progress) => void;
  progressMs?: number;
  subjects?: Subject[];
  /** Defaults to runTargets (the real parsers). */
  targets?: TargetRunner;
}

let cachedSubjects: Subject[] | undefined;

/** The corpus, loaded once per process. */
export function defaultSubjects(): Subject[] {
  cachedSubjects ??= loadSubjects();
  return cachedSubjects;
}

const KIND_WEIGHTS: readonly [SubjectKind, number][] = [
  ['elf', 0.5],
  ['btf', 0.3],
  ['btfext', 0.2],
];

/** Subjects grouped by kind with cumulative weights, built once per list. */
const pickers = new WeakMap<readonly Subject[], Map<SubjectKind, { items: Subject[]; cumulative: number[] }>>();

function pickSubject(rng: Rng, subjects: readonly Subject[]): Subject {
  let byKind = pickers.get(subjects);
  if (byKind === undefined) {
    byKind = new Map();
    for (const s of subjects) {
      let g = byKind.get(s.kind);
      if (g === undefined) byKind.set(s.kind, (g = { items: [], cumulative: [] }));
      const total = g.cumulative.length > 0 ? g.cumulative[g.cumulative.length - 1] : 0;
      g.items.push(s);
      g.cumulative.push(total + (s.weight ?? 1));
    }
    pickers.set(subjects, byKind);
  }
  const present = KIND_WEIGHTS.filter(([k]) => byKind.has(k));
  const total = present.reduce((a, [, w]) => a + w, 0);
  let x = rng.float() * total;
  let kind = present[present.length - 1][0];
  for (const [k, w] of present) {
    if (x < w) {
      kind = k;
      break;
    }
    x -= w;
  }
  const g = byKind.get(kind)!;
  const y = rng.float() * g.cumulative[g.cumulative.length - 1];
  const i = g.cumulative.findIndex((c) => y < c);
  return g.items[i < 0 ? g.items.length - 1 : i];
}

/** Place the input at an odd offset of a larger buffer, surrounded by junk:
 * a parser that reads `bytes.buffer` without honouring byteOffset/byteLength
 * then sees the junk instead of failing cleanly. */
function embed(rng: Rng, bytes: Uint8Array): [Uint8Array, number] {
  if (rng.chance(0.5)) return [bytes, 0];
  const before = rng.range(1, 15);
  const after = rng.range(0, 15);
  const buf = new Uint8Array(before + bytes.byteLength + after);
  rng.fill(buf);
  buf.set(bytes, before);
  return [buf.subarray(before, before + bytes.byteLength), before];
}

/**
 * Decide everything about case `index` of a run with `seed`: the subject,
 * the mutations and the mutated bytes. Deterministic, so any reported case
 * can be rebuilt without running the ones before it.
 */
export function planCase(subjects: readonly Subject[], seed: number, index: number): CasePlan {
  const rng = caseRng(seed, index);
  const subject = pickSubject(rng, subjects);
  const usable = applicableMutators(subject.marks);
  const chain: Mutator[] = [rng.pick(usable)];
  // Stacking finds bugs behind a first check (e.g. a count that only
  // matters once an offset was also moved).
  if (rng.chance(0.2)) chain.push(rng.pick(usable));
  if (rng.chance(0.05)) chain.push(rng.pick(usable));
  // Compressing hides the structure from every aimed strategy after it, so
  // it goes last; and on its own it would only test zlib, so pair it.
  const gz = chain.findIndex((m) => m.name === GZIP);
  if (gz >= 0) {
    const [g] = chain.splice(gz, 1);
    if (chain.length === 0) chain.push(rng.pick(usable.filter((m) => m.name !== GZIP)));
    chain.push(g);
  }
  let bytes = subject.bytes;
  for (const m of chain) bytes = m.mutate(bytes, rng, subject.marks);
  const [placed, embedded] = embed(rng, bytes);
  return { index, subject, mutators: chain.map((m) => m.name), bytes: placed, embedded };
}

function overall(stages: readonly StageResult[]): Outcome {
  const bug = stages.find((s) => isBug(s.outcome));
  if (bug !== undefined) return bug.outcome;
  const err = stages.find((s) => s.outcome !== 'ok');
  return err !== undefined ? err.outcome : 'ok';
}

function memNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Plan and run one case (no hang guard; runFuzz adds it). */
export function runCase(subjects: readonly Subject[], seed: number, index: number, targets: TargetRunner = runTargets): CaseResult {
  const plan = planCase(subjects, seed, index);
  const mem0 = memNow();
  const t0 = performance.now();
  const stages = targets(plan.subject, plan.bytes, { seed, index });
  const ms = performance.now() - t0;
  return {
    index,
    subject: plan.subject.name,
    mutators: plan.mutators.join('+'),
    stages,
    outcome: overall(stages),
    ms,
    allocated: memNow() - mem0,
  };
}

/**
 * Failures of one kind from one place count as one bug: the outcome, the
 * target, the error class, its message with numbers blanked out, and the
 * innermost stack frame outside the harness.
 */
function signature(f: Pick<Failure, 'outcome' | 'target' | 'message' | 'stack' | 'note'>): string {
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

function describeError(e: unknown): { message: string; stack?: string } {
  if (e instanceof Error) return { message: `${e.name}: ${e.message}`, stack: e.stack };
  return { message: String(e) };
}

// One context and script for the whole process: the script only calls back
// into a function of ours, the context exists to carry the timeout.
const guardContext = vm.createContext({ job: undefined as (() => void) | undefined });
const guardScript = new vm.Script('job()', { filename: 'bpfkit-fuzz-guard' });

/** Run `fn`; false when it was interrupted for running past `timeoutMs`. */
function guarded(fn: () => void, timeoutMs: number): boolean {
  guardContext.job = fn;
  // An interrupted stage skips its finally blocks, and one of them restores
  // Error.stackTraceLimit (targets.ts, sizes): restore it here instead.
  const stackTraceLimit = Error.stackTraceLimit;
  try {
    guardScript.runInContext(guardContext, { timeout: timeoutMs });
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return false;
    throw e;
  } finally {
    guardContext.job = undefined;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

const CHUNK = 32;

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

function bump<K extends string>(m: Partial<Record<K, number>>, k: K): void {
  m[k] = (m[k] ?? 0) + 1;
}

export function runFuzz(opts: FuzzOptions): Tally {
  const subjects = opts.subjects ?? defaultSubjects();
  const seed = opts.seed >>> 0;
  const start = opts.start ?? 0;
  const end = start + opts.cases;
  const hangMs = opts.hangMs ?? 2000;
  const allocLimit = opts.allocLimit ?? 128 * 1024 * 1024;
  const rssLimit = opts.rssLimit ?? 1024 * 1024 * 1024;
  const keep = opts.keepFailures ?? 20;
  const progressMs = opts.progressMs ?? 250;
  const subjectKind = new Map(subjects.map((s) => [s.name, s.kind]));
  const targets = opts.targets ?? runTargets;

  const tally = emptyTally(seed);
  tally.peakRss = tally.startRss;
  const t0 = performance.now();
  let lastProgress = t0;

  const bySignature = new Map<string, Failure>();
  const fail = (f: Omit<Failure, 'seed' | 'signature' | 'count'>): void => {
    tally.bugs++;
    const sig = signature(f);
    const seen = bySignature.get(sig);
    if (seen !== undefined) {
      seen.count++;
    } else if (tally.failures.length < keep) {
      const full: Failure = { seed, ...f, signature: sig, count: 1 };
      bySignature.set(sig, full);
      tally.failures.push(full);
    }
  };

  const commit = (r: CaseResult): void => {
    const runaway = r.allocated > allocLimit;
    if (runaway && !isBug(r.outcome)) r.outcome = 'ALLOC';
    tally.cases++;
    bump(tally.outcomes, r.outcome);
    tally.subjects[subjectKind.get(r.subject) ?? 'elf']++;
    for (const s of r.stages) {
      bump(tally.targets[s.target], s.outcome);
      tally.targetMs[s.target] += s.ms ?? 0;
    }
    const bug = isBug(r.outcome);
    for (const m of r.mutators.split('+')) {
      const e = (tally.mutators[m] ??= { cases: 0, ok: 0, bugs: 0 });
      e.cases++;
      if (r.outcome === 'ok') e.ok++;
      if (bug) e.bugs++;
    }
    for (const s of r.stages) {
      if (!isBug(s.outcome)) continue;
      fail({ index: r.index, subject: r.subject, mutators: r.mutators, target: s.target, outcome: s.outcome, note: s.note, ...describeError(s.error) });
    }
    if (tally.slowest === undefined || r.ms > tally.slowest.ms) {
      tally.slowest = { index: r.index, ms: r.ms, subject: r.subject, mutators: r.mutators };
    }
    if (tally.maxAllocated === undefined || r.allocated > tally.maxAllocated.bytes) {
      tally.maxAllocated = { index: r.index, bytes: r.allocated };
    }
    if (runaway) {
      fail({
        index: r.index,
        subject: r.subject,
        mutators: r.mutators,
        target: 'case',
        outcome: 'ALLOC',
        message: `memory grew by ${(r.allocated / 2 ** 20).toFixed(1)} MiB during one case`,
      });
    }
  };

  let next = start;
  while (next < end) {
    const chunkEnd = Math.min(end, next + CHUNK);
    const done: CaseResult[] = [];
    let caseStart = performance.now();
    const completed = guarded(() => {
      for (let i = next; i < chunkEnd; i++) {
        caseStart = performance.now();
        done.push(runCase(subjects, seed, i, targets));
      }
    }, hangMs);
    for (const r of done) commit(r);
    next += done.length;
    if (!completed) {
      // Case `next` was running when the chunk ran out of time. If it had
      // the whole budget to itself, it hung; otherwise run it alone to tell
      // a hang from a chunk that was merely slow overall.
      let alone: CaseResult | undefined;
      let finished = false;
      let ranFor = performance.now() - caseStart;
      if (ranFor < hangMs * 0.95) {
        current.target = undefined;
        current.finished = [];
        const t = performance.now();
        finished = guarded(() => {
          alone = runCase(subjects, seed, next, targets);
        }, hangMs);
        ranFor = performance.now() - t;
      }
      if (finished && alone !== undefined) {
        commit(alone);
      } else {
        const plan = planCase(subjects, seed, next);
        const r: CaseResult = {
          index: next,
          subject: plan.subject.name,
          mutators: plan.mutators.join('+'),
          stages: [],
          outcome: 'HANG',
          ms: ranFor,
          allocated: 0,
        };
        commit(r);
        const [target, where] = hungStage();
        fail({
          index: next,
          subject: r.subject,
          mutators: r.mutators,
          target: target ?? 'case',
          outcome: 'HANG',
          message: `interrupted after ${ranFor.toFixed(0)} ms`,
          note: where,
        });
      }
      next++;
    }

    if ((next - start) % 1024 < CHUNK) {
      const rss = process.memoryUsage.rss();
      if (rss > tally.peakRss) tally.peakRss = rss;
      if (rss - tally.startRss > rssLimit) {
        fail({
          index: next - 1,
          subject: '',
          mutators: '',
          target: 'case',
          outcome: 'ALLOC',
          message: `RSS grew to ${(rss / 2 ** 20).toFixed(0)} MiB (from ${(tally.startRss / 2 ** 20).toFixed(0)} MiB)`,
        });
        break;
      }
    }
    const now = performance.now();
    if (opts.onProgress !== undefined && now - lastProgress >= progressMs) {
      lastProgress = now;
      opts.onProgress({ done: next - start, cases: opts.cases, elapsedMs: now - t0, bugs: tally.bugs });
    }
  }
  const rss = process.memoryUsage.rss();
  if (rss > tally.peakRss) tally.peakRss = rss;
  tally.elapsedMs = performance.now() - t0;
  return tally;
}

/** Error codes seen across all targets. */
export function codesSeen(t: Tally): string[] {
  const out = new Set<string>();
  for (const per of Object.values(t.targets)) {
    for (const k of Object.keys(per)) if (k !== 'ok' && !isBug(k as Outcome)) out.add(k);
  }
  return [...out].sort();
}

/** A readable tally: outcomes per case, per entry point, per mutator. */
export function formatTally(t: Tally): string {
  const lines: string[] = [];
  const rate = t.elapsedMs > 0 ? (t.cases / t.elapsedMs) * 1000 : 0;
  lines.push(
    `fuzz: ${t.cases} cases, seed ${t.seed} (0x${t.seed.toString(16)}), ${(t.elapsedMs / 1000).toFixed(1)} s, ${rate.toFixed(0)} cases/s`,
  );
  lines.push(`subjects: elf ${t.subjects.elf}, raw btf ${t.subjects.btf}, raw btf.ext ${t.subjects.btfext}`);
  lines.push('');
  lines.push('outcome per case');
  const outcomes = Object.entries(t.outcomes).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0));
  for (const [k, v] of outcomes) {
    lines.push(`  ${(isBug(k as Outcome) ? k + ' (BUG)' : k).padEnd(18)} ${String(v).padStart(9)}  ${pct(v ?? 0, t.cases)}`);
  }
  lines.push('');
  const cols = ['ok', ...new Set(Object.values(t.targets).flatMap((p) => Object.keys(p)).filter((k) => k !== 'ok'))];
  lines.push('per entry point');
  lines.push('  ' + 'target'.padEnd(16) + cols.map((c) => c.padStart(13)).join('') + '  time (s)'.padStart(11));
  for (const target of TARGETS) {
    const per = t.targets[target];
    if (Object.keys(per).length === 0) continue;
    const time = (t.targetMs[target] / 1000).toFixed(1).padStart(11);
    lines.push('  ' + target.padEnd(16) + cols.map((c) => String(per[c as Outcome] ?? 0).padStart(13)).join('') + time);
  }
  lines.push('');
  lines.push('per mutator          cases     all ok   bugs');
  for (const [m, v] of Object.entries(t.mutators).sort()) {
    lines.push(`  ${m.padEnd(16)} ${String(v.cases).padStart(9)} ${String(v.ok).padStart(10)} ${String(v.bugs).padStart(6)}`);
  }
  lines.push('');
  if (t.slowest !== undefined) {
    lines.push(`slowest case: #${t.slowest.index} ${t.slowest.ms.toFixed(1)} ms (${t.slowest.subject}, ${t.slowest.mutators})`);
  }
  if (t.maxAllocated !== undefined) {
    lines.push(`largest memory growth in one case: ${(t.maxAllocated.bytes / 2 ** 20).toFixed(1)} MiB (#${t.maxAllocated.index})`);
  }
  lines.push(`RSS: ${(t.startRss / 2 ** 20).toFixed(0)} MiB at start, ${(t.peakRss / 2 ** 20).toFixed(0)} MiB peak`);
  lines.push(`error codes seen: ${codesSeen(t).join(', ') || '(none)'}`);
  lines.push('');
  if (t.bugs === 0) {
    lines.push('no bugs: every entry point returned or threw BpfkitError');
  } else {
    lines.push(`${t.bugs} BUG outcome(s), ${t.failures.length} distinct (first example of each):`);
    for (const f of t.failures) lines.push(formatFailure(f));
  }
  return lines.join('\n');
}

export function formatFailure(f: Failure): string {
  const out = [
    `- ${f.outcome} in ${f.target} (${f.count}x): case #${f.index}, ${f.subject}, mutators ${f.mutators}`,
    `    reproduce: node dist/fuzz/main.js --seed ${f.seed} --case ${f.index} [--write FILE]`,
    `    ${f.message}`,
  ];
  if (f.note !== undefined) out.push(`    (${f.note})`);
  if (f.stack !== undefined) out.push(...f.stack.split('\n').slice(1, 9).map((l) => `    ${l.trim()}`));
  return out.join('\n');
}

function pct(n: number, of: number): string {
  return of > 0 ? `${((n / of) * 100).toFixed(2)}%` : '';
}
