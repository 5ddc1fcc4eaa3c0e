import { BpfkitError } from '../../../internal/errors.js';
import { TextBuffer } from '../../../internal/text-buffer.js';
import { Kind } from '../../kinds.js';
import { NameCounter } from './name-counter.js';
import type { TypeTable } from './table.js';

/**
 * Per-id state, packed into one byte per id (four byte arrays cost 0.4 MB
 * more for vmlinux): the ordering state (libbpf's order_state) in bits 0-1,
 * the emission state (emit_state) in bits 2-3, whether a forward
 * declaration was printed, and whether any type refers to this one.
 */
export const ORDER_MASK = 0x03;
export const NOT_ORDERED = 0x00;
export const ORDERING = 0x01;
export const ORDERED = 0x02;
export const EMIT_MASK = 0x0c;
export const NOT_EMITTED = 0x00;
export const EMITTING = 0x04;
export const EMITTED = 0x08;
export const FWD_EMITTED = 0x10;
export const REFERENCED = 0x20;

/**
 * How deep the dump's recursive walks (ordering, emission, declarators,
 * inline anonymous definitions, which libbpf all does by recursion) may
 * nest before the dump gives up: far beyond real BTF (vmlinux needs a few
 * dozen), well within the JS stack.
 */
export const MAX_DEPTH = 2000;

const LONG_NAMES = new Set(['long', 'long int', 'int long', 'unsigned long', 'long unsigned int', 'unsigned long int', 'int unsigned long', 'long int unsigned', 'int long unsigned']);

/**
 * Everything one C dump carries from type to type, as libbpf's btf_dump
 * does: per-id ordering/emission flags, the unique names chosen so far in
 * the two C namespaces it tracks, the emit queue and the declarator stack.
 */
export class DumpState {
  readonly out: TextBuffer;
  readonly ptrSize: number;
  /** ORDER_MASK, EMIT_MASK, FWD_EMITTED and REFERENCED bits per id. */
  readonly flags: Uint8Array;
  /** One more than the `___N` suffix each resolved name got (1: no suffix;
   * 0: not resolved yet; 0xffff: see bigSuffix). Two bytes per id, not
   * four: a name used 65k times does not occur outside hostile BTF. */
  readonly nameSuffix: Uint16Array;
  /** Suffixes too large for nameSuffix. */
  readonly bigSuffix = new Map<number, number>();
  /** struct/union/enum tags seen, with how often. */
  readonly typeNames: NameCounter;
  /** typedef names and enumerators seen, with how often. */
  readonly identNames: NameCounter;
  /** Ids queued by the ordering pass of the current root: the first
   * queueLen entries (the array is reused; truncating it through `length`
   * for each of 127k roots is a slow runtime call). */
  readonly queue: number[] = [];
  queueLen = 0;

  /** Queue id for emission. */
  enqueue(id: number): void {
    this.queue[this.queueLen++] = id;
  }
  /** Declarator chains being printed (frames stacked on one array). */
  readonly declStack: number[] = [];
  declCnt = 0;
  /** The chain being printed: declStack[frameStart, frameStart + frameCnt). */
  frameStart = 0;
  frameCnt = 0;
  /** btf__align_of results of structs and unions (at most 8; -1: not
   * computed yet, -2: in progress). */
  readonly alignMemo: Int8Array;
  /** Nesting of the recursive walks now (see MAX_DEPTH). */
  depth = 0;
  /** Calls of the ordering and emission walks so far, and their limit:
   * neither memoises function prototypes (libbpf does not either), so a
   * DAG of prototypes sharing their parameter types takes exponential time. */
  steps = 0;
  readonly maxSteps: number;

  constructor(readonly t: TypeTable, capacity: number, maxBytes = Infinity) {
    this.out = new TextBuffer(capacity, maxBytes);
    // vmlinux (127k types) takes 3.5 steps per type.
    this.maxSteps = 1_000_000 + 20 * t.count;
    const n = t.count;
    this.flags = new Uint8Array(n);
    this.nameSuffix = new Uint16Array(n);
    this.alignMemo = new Int8Array(n).fill(-1);
    this.flags[0] = ORDERED | EMITTED;
    this.ptrSize = guessPointerSize(t);
    this.typeNames = new NameCounter(t, t.tagCount);
    this.identNames = new NameCounter(t, t.identCount);
  }

  /** Enter one level of a recursive walk at id (leave with `d.depth--`;
   * after a throw the dump is abandoned, so no unwinding is needed). */
  enter(id: number): void {
    if (++this.depth > MAX_DEPTH) {
      throw new BpfkitError('BAD_VALUE', `type graph nested deeper than ${MAX_DEPTH} levels (or cyclic)`, { typeId: id });
    }
  }

  /** Count one step of the ordering or emission walk. */
  step(id: number): void {
    if (++this.steps > this.maxSteps) {
      throw new BpfkitError('TOO_LARGE', `dumping needs more than ${this.maxSteps} steps (function prototypes sharing types?)`, { typeId: id });
    }
  }

  /** A modifier/array chain longer than there are types is a loop. */
  chainLoop(id: number): BpfkitError {
    return new BpfkitError('BAD_VALUE', 'type cycle through modifiers and arrays', { typeId: id });
  }

  /** Whether the BTF string at a name offset is empty. */
  nameIsEmpty(off: number): boolean {
    return off === 0 || this.t.strs[off] === 0;
  }

  /** Append the raw BTF string at a name offset. */
  name(off: number): void {
    this.out.cstr(this.t.strs, off);
  }
}

/** libbpf's guess of the target's pointer size: the size of the first INT
 * spelled like a `long`; 8 (the host's) when there is none. */
function guessPointerSize(t: TypeTable): number {
  for (let id = 1; id < t.count; id++) {
    if (t.kind[id] !== Kind.Int) continue;
    const s = t.words[(t.pos[id] >> 2) + 2];
    if (s !== 4 && s !== 8) continue;
    if (LONG_NAMES.has(t.str(t.words[(t.pos[id] >> 2)]))) return s;
  }
  return 8;
}

/** Mark every type some other type refers to (libbpf uses this to tell
 * top-level anonymous enums from inline ones). */
export function markReferenced(d: DumpState): void {
  const t = d.t;
  const r = d.flags;
  for (let id = 1; id < t.count; id++) {
    const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
    switch (t.kind[id]) {
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.Ptr:
      case Kind.Typedef:
      case Kind.Func:
      case Kind.Var:
      case Kind.DeclTag:
      case Kind.TypeTag:
        r[t.words[(t.pos[id] >> 2) + 2]] |= REFERENCED;
        break;
      case Kind.Array:
        r[t.arrayIndexType(id)] |= REFERENCED;
        r[t.words[(t.pos[id] >> 2) + 3]] |= REFERENCED;
        break;
      case Kind.Struct:
      case Kind.Union:
        for (let j = 0; j < vlen; j++) r[t.words[(t.pos[id] >> 2) + 4 + j * 3]] |= REFERENCED;
        break;
      case Kind.FuncProto:
        for (let j = 0; j < vlen; j++) r[t.words[(t.pos[id] >> 2) + 4 + j * 2]] |= REFERENCED;
        break;
      case Kind.Datasec:
        for (let j = 0; j < vlen; j++) r[t.u32(id, 12 + j * 12)] |= REFERENCED;
        break;
      default:
        break;
    }
  }
}
