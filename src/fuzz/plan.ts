/**
 * Planning a case: from (seed, index) alone, pick the subject, the chain of
 * mutators and the mutated bytes. Separate from running it because main.ts
 * rebuilds single cases (--case N) and the tests check plans on their own.
 */
import { GZIP, applicableMutators, type Mutator } from './mutators/index.js';
import { caseRng, type Rng } from './rng.js';
import { loadSubjects, type Subject, type SubjectKind } from './subjects.js';

export interface CasePlan {
  index: number;
  subject: Subject;
  /** Mutator names in the order applied. */
  mutators: string[];
  bytes: Uint8Array;
  /** Offset of the input inside a larger ArrayBuffer (0: it owns it). */
  embedded: number;
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
