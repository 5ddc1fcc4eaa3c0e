/**
 * Running one planned case through the entry points and summing up its
 * stages into one outcome, with the time and memory it took. The hang guard
 * and the tally around it are runFuzz's (run.ts).
 */
import { planCase } from './plan.js';
import type { Subject } from './subjects.js';
import { isBug, runTargets, type Outcome, type StageResult } from './targets.js';

/** What runs the entry points on one input; replaceable so tests can check
 * that the harness itself catches hangs, crashes and runaway allocations. */
export type TargetRunner = (subject: Subject, bytes: Uint8Array, which?: CaseId) => StageResult[];

/** Which case of which run an input is (for stages run on a subset). */
export interface CaseId {
  seed: number;
  index: number;
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
