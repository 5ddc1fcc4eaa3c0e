import { beforeAll, describe, expect, it } from 'vitest';
import { BpfkitError } from '../internal/errors.js';
import { MUTATORS } from './mutators/index.js';
import { codesSeen, defaultSubjects, formatFailure, formatTally, planCase, runFuzz, type Tally, type TargetRunner } from './run.js';
import { DUMP_EVERY, TARGETS, classify, runDumps, type StageResult } from './targets.js';

/**
 * The bounded run of the fuzz harness that `npm test` includes. Sized for
 * roughly half a minute on a 2-core machine; `npm run fuzz` runs a million.
 * The seed is fixed so a failure here reproduces with
 * `node dist/fuzz/main.js --seed 20240601 --case N`.
 */
const SEED = 20240601;
const CASES = 40_000;

describe('fuzz: parsers keep the error contract under mutation', () => {
  let tally: Tally;
  let report: string;
  beforeAll(() => {
    tally = runFuzz({ cases: CASES, seed: SEED });
    report = formatTally(tally);
  }, 300_000);

  it('no case crashes, hangs, allocates wildly or breaks the contract', () => {
    expect(tally.cases).toBe(CASES);
    // The failures, formatted, make the assertion message a reproduction recipe.
    expect(tally.failures.map(formatFailure), report).toEqual([]);
    expect(tally.bugs, report).toBe(0);
    expect(tally.peakRss - tally.startRss, report).toBeLessThan(768 * 2 ** 20);
  });

  // The run above proves nothing if the mutations were no-ops or all died
  // at the first magic check; these fail when the mutators stop reaching
  // the code they were written for.
  it('sees the whole range of error codes', () => {
    const codes = codesSeen(tally);
    for (const code of ['TRUNCATED', 'BAD_MAGIC', 'BAD_VERSION', 'BAD_VALUE', 'OUT_OF_RANGE', 'BAD_KIND', 'TOO_LARGE']) {
      expect(codes, report).toContain(code);
    }
  });

  it('leaves a fair share of inputs parseable (mutations reach the later stages)', () => {
    const ok = tally.outcomes.ok ?? 0;
    expect(ok / CASES, report).toBeGreaterThan(0.15);
    expect(ok / CASES, report).toBeLessThan(0.85);
    for (const t of TARGETS) expect(tally.targets[t].ok ?? 0, `${t} never succeeded\n${report}`).toBeGreaterThan(0);
  });

  it('runs the C and TS dumps on their share of the parsed BTF', () => {
    // They run on one case in DUMP_EVERY (for speed): about that share of
    // the cases that reach the other after-parse stages.
    const runs = (target: keyof typeof tally.targets): number => Object.values(tally.targets[target]).reduce((a, v) => a + (v ?? 0), 0);
    const parsed = runs('btf.dumpRaw');
    for (const target of ['btf.dumpC', 'btf.dumpTs'] as const) {
      expect(runs(target), `${target}\n${report}`).toBeGreaterThan((0.7 * parsed) / DUMP_EVERY);
      expect(runs(target), `${target}\n${report}`).toBeLessThan((1.3 * parsed) / DUMP_EVERY);
    }
  });

  it('makes every parse entry point fail in the ways only deep checks report', () => {
    const t = tally.targets;
    const errors = (target: keyof typeof t): number =>
      Object.entries(t[target]).reduce((a, [k, v]) => (k === 'ok' ? a : a + (v ?? 0)), 0);
    for (const target of ['elf.read', 'elf.symbols', 'btf.load', 'btf.parse', 'btfext.parse'] as const) {
      expect(errors(target), `${target} never failed\n${report}`).toBeGreaterThan(0);
    }
    // Unknown kinds and over-long vlen are in type records, past the header.
    expect(t['btf.load'].BAD_KIND ?? 0, report).toBeGreaterThan(50);
    expect(t['btf.parse'].BAD_KIND ?? 0, report).toBeGreaterThan(50);
    // num_info beyond the section is inside a .BTF.ext sub-section.
    expect(t['btfext.parse'].TOO_LARGE ?? 0, report).toBeGreaterThan(50);
    // st_name outside the string table is inside the symbol table.
    expect(t['elf.symbols'].OUT_OF_RANGE ?? 0, report).toBeGreaterThan(10);
  });

  it('uses every mutator, and each one changes the outcome sometimes', () => {
    for (const m of MUTATORS) {
      const s = tally.mutators[m.name];
      expect(s?.cases ?? 0, `${m.name} never used\n${report}`).toBeGreaterThan(100);
      expect(s!.cases - s!.ok, `${m.name} never made a parser fail\n${report}`).toBeGreaterThan(0);
    }
  });
});

describe('fuzz harness', () => {
  // A few subjects are enough to exercise the harness itself.
  const subjects = defaultSubjects().filter((s) => s.name.startsWith('testdata/obj/core.bpfel.o'));
  const ok: StageResult[] = [{ target: 'btf.load', outcome: 'ok' }];

  it('plans cases reproducibly from (seed, index)', () => {
    const a = planCase(subjects, 5, 17);
    const b = planCase(subjects, 5, 17);
    expect(b.subject.name).toBe(a.subject.name);
    expect(b.mutators).toEqual(a.mutators);
    expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
  });

  it('mutates quickly, whatever the stacked mutations left behind', () => {
    // A slow mutator would show up as a hang "before any stage" and eat the
    // run's time budget; an earlier one once looped over a garbage vlen.
    const all = defaultSubjects();
    let worst = 0;
    for (let i = 0; i < 5000; i++) {
      const t = performance.now();
      planCase(all, SEED, i);
      worst = Math.max(worst, performance.now() - t);
    }
    expect(worst).toBeLessThan(100);
  });

  it('reports an exception of another class as OTHER, with the case that caused it', () => {
    const targets: TargetRunner = (subject, bytes) => {
      try {
        if (bytes.byteLength % 7 === 3) new DataView(new ArrayBuffer(4)).getUint32(8);
        return ok;
      } catch (e) {
        return [classify('btf.load', e, subject.name, bytes.byteLength)];
      }
    };
    const t = runFuzz({ cases: 200, seed: 1, subjects, targets });
    expect(t.bugs).toBeGreaterThan(0);
    expect(t.outcomes.OTHER).toBe(t.bugs);
    const f = t.failures[0];
    expect(f.outcome).toBe('OTHER');
    expect(f.message).toMatch(/^RangeError/);
    expect(planCase(subjects, 1, f.index).bytes.byteLength % 7).toBe(3);
  });

  it('interrupts a hanging case, reports it as HANG and carries on', () => {
    const victim = Buffer.from(planCase(subjects, 1, 39).bytes);
    const targets: TargetRunner = (_, bytes) => {
      if (victim.equals(bytes)) for (;;);
      return ok;
    };
    const t = runFuzz({ cases: 100, seed: 1, subjects, targets, hangMs: 300 });
    expect(t.cases).toBe(100);
    expect(t.outcomes.HANG).toBe(1);
    expect(t.failures[0].outcome).toBe('HANG');
    expect(t.failures[0].index).toBe(39);
  });

  it('tells a slow chunk from a hung case', () => {
    // 32 cases of 20 ms exceed a 300 ms chunk budget; none is a hang.
    const targets: TargetRunner = () => {
      const until = performance.now() + 20;
      while (performance.now() < until);
      return ok;
    };
    const t = runFuzz({ cases: 64, seed: 1, subjects, targets, hangMs: 300 });
    expect(t.cases).toBe(64);
    expect(t.bugs).toBe(0);
  });

  it('flags a case that allocates far more than its input justifies', () => {
    let hold: Uint8Array | undefined;
    let calls = 0;
    const targets: TargetRunner = () => {
      // Kept alive until the next case, as a real parser's result would be.
      // Untouched, so it costs address space rather than RSS, but V8 counts
      // it as external memory all the same.
      hold = ++calls === 10 ? new Uint8Array(128 * 2 ** 20) : undefined;
      return ok;
    };
    const t = runFuzz({ cases: 20, seed: 1, subjects, targets, allocLimit: 64 * 2 ** 20 });
    expect(hold).toBeUndefined();
    expect(t.outcomes.ALLOC).toBe(1);
    expect(t.failures[0].index).toBe(9);
  });

  it('classifies errors against the contract', () => {
    const file = 'x.o';
    const good = new BpfkitError('TRUNCATED', 'short', { file, section: '.BTF', offset: 10 });
    expect(classify('btf.parse', good, file, 100).outcome).toBe('TRUNCATED');
    expect(classify('btf.parse', new TypeError('x'), file, 100).outcome).toBe('OTHER');
    expect(classify('btf.parse', good, file, 100, 'LATE').outcome).toBe('LATE');
    const noFile = new BpfkitError('TRUNCATED', 'short', { section: '.BTF', offset: 10 });
    expect(classify('btf.parse', noFile, file, 100).outcome).toBe('NOLOC');
    const noSection = new BpfkitError('BAD_VALUE', 'bad', { file, offset: 10 });
    expect(classify('btf.parse', noSection, file, 100).outcome).toBe('NOLOC');
    // The ELF header belongs to no section.
    expect(classify('elf.read', noSection, file, 100).outcome).toBe('BAD_VALUE');
    const noOffset = new BpfkitError('BAD_VALUE', 'bad', { file, section: '.BTF' });
    expect(classify('btf.parse', noOffset, file, 100).outcome).toBe('NOLOC');
    const pastEnd = new BpfkitError('BAD_VALUE', 'bad', { file, section: '.BTF', offset: 101 });
    expect(classify('btf.parse', pastEnd, file, 100).outcome).toBe('NOLOC');
    // The dumpers work on a parsed Btf: a type id is their location, and
    // the output limit has none.
    for (const target of ['btf.dumpC', 'btf.dumpTs', 'btf.dedup'] as const) {
      expect(classify(target, new BpfkitError('BAD_VALUE', 'cycle', { typeId: 3 }), file, 100).outcome).toBe('BAD_VALUE');
      expect(classify(target, new BpfkitError('TOO_LARGE', 'big'), file, 100).outcome).toBe('TOO_LARGE');
      expect(classify(target, new BpfkitError('BAD_VALUE', 'cycle'), file, 100).outcome).toBe('NOLOC');
      expect(classify(target, new BpfkitError('BAD_VALUE', 'cycle', { file, offset: 10 }), file, 100).outcome).toBe('NOLOC');
      expect(classify(target, new RangeError('Maximum call stack size exceeded'), file, 100).outcome).toBe('OTHER');
    }
    // Elsewhere a type id alone is not enough.
    expect(classify('btf.parse', new BpfkitError('BAD_VALUE', 'cycle', { typeId: 3 }), file, 100).outcome).toBe('NOLOC');
  });

  it('picks the cases that run the dumps from (seed, index) alone', () => {
    let picked = 0;
    for (let i = 0; i < 8000; i++) {
      const a = runDumps({ seed: 7, index: i });
      expect(runDumps({ seed: 7, index: i })).toBe(a);
      if (a) picked++;
    }
    expect(picked).toBeGreaterThan(8000 / DUMP_EVERY - 200);
    expect(picked).toBeLessThan(8000 / DUMP_EVERY + 200);
    // Outside a run (no case id) they always run.
    expect(runDumps(undefined)).toBe(true);
  });
});
