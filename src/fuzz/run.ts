/**
 * The fuzz loop: plan each case from (seed, index), mutate, run the entry
 * points, classify, tally. This file is the loop itself (chunks, hangs,
 * runaway memory); planning a case is in plan.ts, running one in case.ts,
 * the watchdog in guard.ts, the counts in tally.ts, their text in report.ts.
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
import { runCase, type CaseResult, type TargetRunner } from './case.js';
import { guarded } from './guard.js';
import { defaultSubjects, planCase } from './plan.js';
import type { Subject } from './subjects.js';
import { bump, describeError, emptyTally, signature, type Failure, type Tally } from './tally.js';
import { current, hungStage, isBug, runTargets } from './targets.js';

export { runCase, type CaseId, type CaseResult, type TargetRunner } from './case.js';
export { defaultSubjects, planCase, type CasePlan } from './plan.js';
export { codesSeen, formatFailure, formatTally } from './report.js';
export { emptyTally, type Failure, type Tally } from './tally.js';

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
const CHUNK = 32;

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
