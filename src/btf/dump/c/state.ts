import { BpfkitError } from '../../../internal/errors.js';
import { TextBuffer } from '../../../internal/text-buffer.js';
import { Kind } from '../../kinds.js';
import { NameCounter } from './name-counter.js';
import type { TypeTable } from './table.js';

/** Topological ordering state (libbpf's order_state). */
export const NOT_ORDERED = 0;
export const ORDERING = 1;
export const ORDERED = 2;

/** Emission state (libbpf's emit_state). */
export const NOT_EMITTED = 0;
export const EMITTING = 1;
export const EMITTED = 2;

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
  readonly order: Uint8Array;
  readonly emit: Uint8Array;
  readonly fwdEmitted: Uint8Array;
  readonly referenced: Uint8Array;
  /** The `___N` suffix each resolved name got (0: none; -1: not resolved yet). */
  readonly nameSuffix: Int32Array;
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
    this.order = new Uint8Array(n);
    this.emit = new Uint8Array(n);
    this.fwdEmitted = new Uint8Array(n);
    this.referenced = new Uint8Array(n);
    this.nameSuffix = new Int32Array(n).fill(-1);
    this.alignMemo = new Int8Array(n).fill(-1);
    this.order[0] = ORDERED;
    this.emit[0] = EMITTED;
    this.ptrSize = guessPointerSize(t);
    this.typeNames = new NameCounter(t);
    this.identNames = new NameCounter(t);
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
    const s = t.words[t.pos[id] + 2];
    if (s !== 4 && s !== 8) continue;
    if (LONG_NAMES.has(t.str(t.words[t.pos[id]]))) return s;
  }
  return 8;
}

/** Mark every type some other type refers to (libbpf uses this to tell
 * top-level anonymous enums from inline ones). */
export function markReferenced(d: DumpState): void {
  const t = d.t;
  const r = d.referenced;
  for (let id = 1; id < t.count; id++) {
    const vlen = (t.words[t.pos[id] + 1] & 0xffff);
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
        r[t.words[t.pos[id] + 2]] = 1;
        break;
      case Kind.Array:
        r[t.arrayIndexType(id)] = 1;
        r[t.words[t.pos[id] + 3]] = 1;
        break;
      case Kind.Struct:
      case Kind.Union:
        for (let j = 0; j < vlen; j++) r[t.words[t.pos[id] + 4 + j * 3]] = 1;
        break;
      case Kind.FuncProto:
        for (let j = 0; j < vlen; j++) r[t.words[t.pos[id] + 4 + j * 2]] = 1;
        break;
      case Kind.Datasec:
        for (let j = 0; j < vlen; j++) r[t.u32(id, 12 + j * 12)] = 1;
        break;
      default:
        break;
    }
  }
}
