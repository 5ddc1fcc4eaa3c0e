/**
 * The parse entry points one fuzz case drives, and how their outcomes are
 * classified.
 *
 * The contract under test (from the issue): every entry point returns a
 * complete result or throws a BpfkitError with a stable code and a location
 * (file, section or type id, byte offset). Anything else is a bug:
 *
 * - OTHER: an exception of any other class (RangeError from a DataView read
 *   past the end, TypeError from an undefined record, stack overflow).
 * - NOLOC: a BpfkitError without the location the contract promises, or
 *   with an offset outside the input.
 * - LATE: a stage that must not fail once the parse has accepted the input
 *   (decoding, dumping and encoding a BTF the parser said was valid) threw.
 *   The parser validates eagerly precisely so that later stages need not.
 * - ROUNDTRIP: bytes that encodeBtf/encodeBtfExt produced from an accepted
 *   input are rejected when parsed again.
 * - HANG and ALLOC are found by the loop in run.ts (time and memory).
 *
 * btf.sizes (sizeOf/alignOf) is not a parser, so its errors need no
 * location, but it follows type references and so must not hang either.
 *
 * btf.dumpC, btf.dumpTs and btf.dedup work on a parsed, in-memory Btf:
 * their errors name the type id they refer to (no file or offset), or are
 * TOO_LARGE (the output limit, the walk bound). They are the costliest
 * stages, so they run on a deterministic subset of cases (see DUMP_EVERY).
 */
import { BpfkitError, type ErrorCode } from '../internal/errors.js';
import {
  alignOf,
  btfExtFromElf,
  btfFromBytes,
  btfFromElf,
  dedupBtf,
  dumpC,
  dumpJson,
  dumpRaw,
  dumpTs,
  encodeBtf,
  encodeBtfExt,
  parseBtf,
  parseBtfExt,
  sizeOf,
  type Btf,
} from '../btf/index.js';
import {
  SHT_DYNSYM,
  SHT_REL,
  SHT_RELA,
  SHT_SYMTAB,
  findSection,
  readElf,
  readRelocations,
  readSymbols,
  type ElfFile,
} from '../elf/index.js';
import { openObject, summarize } from '../object/index.js';
import { analyzeReachability } from '../reloc/reach.js';
import { relocateObject } from '../reloc/relocate.js';
import { mix32 } from './rng.js';
import type { CaseId } from './run.js';
import type { Subject } from './subjects.js';

export const TARGETS = [
  'elf.read',
  'elf.symbols',
  'elf.relocations',
  'btf.load',
  'btf.parse',
  'btf.dumpRaw',
  'btf.dumpJson',
  'btf.dumpC',
  'btf.dumpTs',
  'btf.dedup',
  'btf.decode',
  'btf.sizes',
  'btf.encode',
  'btf.reparse',
  'btfext.parse',
  'btfext.encode',
  'btfext.reparse',
  'object.open',
  'object.summary',
  'reloc.core',
] as const;
export type Target = (typeof TARGETS)[number];

/** Outcomes that mean the contract was broken. */
export const BUG_OUTCOMES = ['OTHER', 'NOLOC', 'LATE', 'ROUNDTRIP', 'HANG', 'ALLOC'] as const;
export type BugOutcome = (typeof BUG_OUTCOMES)[number];

/** 'ok', a BpfkitError code, or a bug class. */
export type Outcome = 'ok' | ErrorCode | BugOutcome;

export const ERROR_CODES: readonly ErrorCode[] = [
  'TRUNCATED',
  'BAD_MAGIC',
  'BAD_VERSION',
  'BAD_VALUE',
  'OUT_OF_RANGE',
  'BAD_KIND',
  'TOO_LARGE',
  'UNSUPPORTED',
  'IO',
];

export function isBug(o: Outcome): o is BugOutcome {
  return (BUG_OUTCOMES as readonly string[]).includes(o);
}

export interface StageResult {
  target: Target;
  outcome: Outcome;
  /** Time the stage took (absent in results made up by tests). */
  ms?: number;
  /** The exception, for anything but 'ok'. */
  error?: unknown;
  /** Why a BpfkitError counts as a bug (NOLOC, LATE, ROUNDTRIP). */
  note?: string;
}

/**
 * What the running case is doing, kept up to date as stages start and end,
 * so that after the watchdog interrupts a case (which skips every finally
 * block) the loop can say which entry point was running, or, when the time
 * ran out between stages, which finished stage took it.
 */
export const current: { target: Target | undefined; finished: [Target, number][] } = { target: undefined, finished: [] };

/** The stage to blame for an interrupted case, with a description. */
export function hungStage(): [Target | undefined, string] {
  if (current.target !== undefined) return [current.target, `in ${current.target}`];
  let worst: [Target, number] | undefined;
  for (const f of current.finished) if (worst === undefined || f[1] > worst[1]) worst = f;
  if (worst === undefined) return [undefined, 'before any stage'];
  return [worst[0], `between stages; ${worst[0]} had taken ${worst[1].toFixed(0)} ms`];
}

/**
 * Check the location a BpfkitError carries against the contract: the file
 * it was given, a section or type id, and an offset inside the input.
 */
function locationProblem(e: BpfkitError, target: Target, file: string, inputLength: number): string | undefined {
  if (!ERROR_CODES.includes(e.code)) return `unknown code ${String(e.code)}`;
  if (target === 'btf.dumpC' || target === 'btf.dumpTs' || target === 'btf.dedup') {
    // The dumpers and dedup see a Btf, not a file: a type id is their
    // location.
    if (e.typeId === undefined) return e.code === 'TOO_LARGE' ? undefined : 'no type id';
    if (!Number.isInteger(e.typeId) || e.typeId < 0) return `type id ${e.typeId} is not an id`;
    return undefined;
  }
  // btfFromBytes names gzip content "<file> (decompressed)": its offsets
  // count in the decompressed bytes, whose length is not known here.
  const decompressed = e.file === `${file} (decompressed)`;
  if (e.file !== file && !decompressed) return `file is ${JSON.stringify(e.file)}, expected ${JSON.stringify(file)}`;
  if (target === 'reloc.core') {
    // Relocation errors name the code section (or .BTF.ext for records
    // that point at no section); offsets, when given, are file offsets.
    if (e.section === undefined) return 'no section';
    if (e.offset !== undefined && (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > inputLength)) {
      return `offset ${e.offset} is outside the input (0..${inputLength})`;
    }
    return undefined;
  }
  if (target === 'object.open') {
    // The object model reports what libbpf would refuse: a section (or the
    // whole file) and a symbol, instruction, type id or byte offset in it.
    if (e.symbol === undefined && e.insn === undefined && e.typeId === undefined && e.offset === undefined) {
      return 'no symbol, instruction, type id or offset';
    }
    if (e.offset !== undefined && (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > inputLength)) {
      return `offset ${e.offset} is outside the input (0..${inputLength})`;
    }
    return undefined;
  }
  // A whole-file entry point may fail on the file as such (the ELF header,
  // the section header table, a magic that is neither ELF nor BTF), which
  // belongs to no section; anything read from inside a section names it.
  if (target !== 'elf.read' && target !== 'btf.load' && e.section === undefined && e.typeId === undefined) return 'neither section nor type id';
  if (e.offset === undefined) return 'no offset';
  if (!Number.isInteger(e.offset) || e.offset < 0 || (e.offset > inputLength && !decompressed)) {
    return `offset ${e.offset} is outside the input (0..${inputLength})`;
  }
  return undefined;
}

class Stages {
  readonly results: StageResult[] = [];
  constructor(
    private readonly file: string,
    private readonly inputLength: number,
  ) {}

  /**
   * Run one entry point. `mustSucceed` marks stages that work on input a
   * parser already accepted, where even a BpfkitError is a bug (LATE or
   * ROUNDTRIP). Returns the value, or undefined when the stage threw.
   */
  run<T>(target: Target, fn: () => T, mustSucceed?: 'LATE' | 'ROUNDTRIP'): T | undefined {
    current.target = target;
    const t0 = performance.now();
    try {
      const v = fn();
      this.results.push({ target, outcome: 'ok', ms: performance.now() - t0 });
      return v;
    } catch (e) {
      this.results.push({ ...classify(target, e, this.file, this.inputLength, mustSucceed), ms: performance.now() - t0 });
      return undefined;
    } finally {
      current.target = undefined;
      current.finished.push([target, performance.now() - t0]);
    }
  }
}

/**
 * Classify what a stage threw. `file` and `inputLength` are what the stage
 * was given, to check the error's location against; `mustSucceed` turns
 * any BpfkitError into that bug class.
 */
export function classify(
  target: Target,
  e: unknown,
  file: string,
  inputLength: number,
  mustSucceed?: 'LATE' | 'ROUNDTRIP',
): StageResult {
  if (!(e instanceof BpfkitError)) return { target, outcome: 'OTHER', error: e };
  if (mustSucceed !== undefined) return { target, outcome: mustSucceed, error: e, note: `${target} threw ${e.code}` };
  const problem = locationProblem(e, target, file, inputLength);
  if (problem !== undefined) return { target, outcome: 'NOLOC', error: e, note: problem };
  return { target, outcome: e.code, error: e };
}

/**
 * Everything a consumer does with a BTF after parsing it: both dumps
 * (straight from the wire records), the full decode into the model, size
 * and alignment of each type, the encode, and a re-parse of the encoding.
 */
function afterBtfParse(st: Stages, btf: Btf, base: Btf | undefined, which: CaseId | undefined): void {
  st.run('btf.dumpRaw', () => dumpRaw(btf), 'LATE');
  st.run('btf.dumpJson', () => dumpJson(btf), 'LATE');
  // C and TS may refuse BTF that parses (an unsatisfiable type cycle, as
  // bpftool does), but only with a BpfkitError: never a stack overflow.
  if (runDumps(which)) {
    // Every other dump case also exercises newer bpftool's sorted order
    // and kfunc block (hashes and name chains over hostile records).
    const modern = which !== undefined && (which.index & 1) === 1;
    st.run('btf.dumpC', () => dumpC(btf, { maxBytes: DUMP_MAX_BYTES, sort: modern, kfuncs: modern }));
    st.run('btf.dumpTs', () => dumpTs(btf, { maxBytes: DUMP_MAX_BYTES }));
    // Deduplication (what the linker runs) compares every same-shape type
    // graph: hostile sharing must end in its work bound, never in a hang.
    if (btf.ownCount <= DEDUP_MAX_TYPES) st.run('btf.dedup', () => dedupBtf(btf, { maxWalkSteps: DEDUP_MAX_STEPS }).btf.typeCount);
  }
  const types = st.run(
    'btf.decode',
    () => {
      // The getter decodes every type; touching each keeps the optimiser
      // from skipping anything it might consider unused.
      let n = 0;
      for (const t of btf.types) n += t.name.length;
      return n;
    },
    'LATE',
  );
  if (types === undefined) return;
  st.run('btf.sizes', () => sizes(btf));
  const encoded = st.run('btf.encode', () => encodeBtf(btf), 'LATE');
  if (encoded === undefined) return;
  st.run('btf.reparse', () => parseBtf(encoded, { base }).types.length, 'ROUNDTRIP');
}

/**
 * The C and TS dumps run on one case in DUMP_EVERY, chosen from (seed,
 * index) alone, so a reported case replays with its dumps. They cost about
 * half of what all the other stages of a case take together: on every case
 * they cut the harness from ~1,550 to ~1,050 cases/s (2 cores); on one in 8
 * it runs ~1,400 cases/s, keeping the bounded test near half a minute and
 * `npm run fuzz` (1M cases) near 12 minutes.
 */
export const DUMP_EVERY = 8;

/** Output limit of the dump stages: far above any subject's dump, and
 * reached in milliseconds by the gigabytes of padding some mutated
 * bitfield offsets make libbpf (and so dumpC) print. */
export const DUMP_MAX_BYTES = 8 * 2 ** 20;

/** Dedup runs with the dumps, on BTF up to this many own types (the
 * kernel-sized subjects take a second each), with a walk bound that ends a
 * hostile case in well under a second (TOO_LARGE). */
export const DEDUP_MAX_TYPES = 20_000;
export const DEDUP_MAX_STEPS = 2_000_000;

let dumpEvery = DUMP_EVERY;

/** Run the dumps on one case in k instead (1: every case; main.ts's
 * --dump-every, and its replay of one case, which runs every stage). */
export function setDumpEvery(k: number): void {
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`dump rate must be a positive integer, got ${k}`);
  dumpEvery = k;
}

/** Whether case `which` runs the dump stages (always, outside a run). */
export function runDumps(which: CaseId | undefined): boolean {
  if (which === undefined || dumpEvery === 1) return true;
  return mix32(mix32(which.seed ^ 0x64756d70) ^ which.index) % dumpEvery === 0;
}

/**
 * Size and alignment of every own type. Many types have none (void, FWD,
 * FUNC, loops), so a BpfkitError from one query is an answer, not a
 * failure; only other exceptions (and hangs: these functions follow type
 * references, which mutations turn into loops and deep chains) escape.
 */
function sizes(btf: Btf): void {
  const first = btf.firstId;
  const n = btf.typeCount;
  // Most of these queries end in an expected BpfkitError, and capturing a
  // stack trace for each was 40% of the stage's time. The stack is only
  // wanted for a real failure, so that query is asked again with traces on.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (let id = first; id < n; id++) {
      for (const query of [sizeOf, alignOf]) {
        try {
          query(btf, id);
        } catch (e) {
          if (e instanceof BpfkitError) continue;
          Error.stackTraceLimit = limit;
          query(btf, id);
          throw e;
        }
      }
    }
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** .BTF.ext from raw bytes or, for an ELF, through the library's accessor. */
function extStages(st: Stages, source: Uint8Array | ElfFile, file: string, btf: Btf | undefined): void {
  const ext = st.run('btfext.parse', () =>
    source instanceof Uint8Array ? parseBtfExt(source, { btf, file }) : btfExtFromElf(source, btf, file),
  );
  if (ext === undefined) return;
  const encoded = st.run('btfext.encode', () => encodeBtfExt(ext), 'LATE');
  if (encoded === undefined) return;
  st.run('btfext.reparse', () => parseBtfExt(encoded, { btf }), 'ROUNDTRIP');
}

function elfPipeline(st: Stages, bytes: Uint8Array, file: string, which: CaseId | undefined): void {
  const elf = st.run('elf.read', () => readElf(bytes, { file }));
  if (elf === undefined) return;
  symbolsAndRelocations(st, elf);
  let btf: Btf | undefined;
  if (findSection(elf, '.BTF') !== undefined) {
    btf = st.run('btf.parse', () => btfFromElf(elf, { file }));
    if (btf !== undefined) afterBtfParse(st, btf, undefined, which);
  }
  // Without a usable .BTF the ext section is still parsed (names stay empty).
  if (findSection(elf, '.BTF.ext') !== undefined) extStages(st, elf, file, btf);
  const obj = st.run('object.open', () => openObject(bytes, { file }));
  if (obj !== undefined) st.run('object.summary', () => JSON.stringify(summarize(obj)), 'LATE');
  if (obj !== undefined && obj.btf !== undefined && obj.coreRelocationCount > 0) {
    // CO-RE against the object's own BTF, then the reachability walk over
    // the patched code (hostile jumps, calls and constants).
    st.run('reloc.core', () => {
      const { insnsBySection } = relocateObject(obj, obj.btf!, { onError: 'collect' });
      analyzeReachability(obj, insnsBySection);
    });
  }
}

function symbolsAndRelocations(st: Stages, elf: ElfFile): void {
  const symtabs = elf.sections.filter((s) => s.type === SHT_SYMTAB || s.type === SHT_DYNSYM);
  if (symtabs.length > 0) {
    st.run('elf.symbols', () => {
      for (const s of symtabs) readSymbols(elf, s);
    });
  }
  const rels = elf.sections.filter((s) => s.type === SHT_REL || s.type === SHT_RELA);
  if (rels.length > 0) {
    st.run('elf.relocations', () => {
      for (const s of rels) readRelocations(elf, s);
    });
  }
}

/**
 * Run every entry point that applies to one (mutated) input of a subject
 * (`which`: the case it is, to pick the cases that run the dumps).
 * Never throws for anything the code under test does; the results say what
 * each stage did.
 */
export function runTargets(subject: Subject, bytes: Uint8Array, which?: CaseId): StageResult[] {
  const file = subject.name;
  current.target = undefined;
  current.finished = [];
  const st = new Stages(file, bytes.byteLength);
  switch (subject.kind) {
    case 'elf':
      elfPipeline(st, bytes, file, which);
      break;
    case 'btf': {
      // btfFromBytes is the public "whatever BTF this is" entry point; for
      // a mutated magic it may also take the ELF or gzip route.
      const btf = st.run('btf.load', () => btfFromBytes(bytes, { base: subject.base, file }));
      if (btf !== undefined) afterBtfParse(st, btf, subject.base, which);
      break;
    }
    case 'btfext':
      extStages(st, bytes, file, subject.btf);
      break;
  }
  return st.results;
}
