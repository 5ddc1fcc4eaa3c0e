/**
 * How BTF types look from the generated TypeScript: modifier/typedef
 * resolution, sizes and alignment, the scalar form of a type (which DataView
 * accessor or typed array reads it) and the TS type of its values. Shared by
 * the names, the value and member codec code and the declarations.
 *
 * Everything is read straight from the wire records (types.ts is the flat
 * table): decoding vmlinux's 126k types into model objects took longer than
 * the rest of the dump, and most of the garbage it made.
 */
import { BpfkitError } from '../../../internal/errors.js';
import type { Btf } from '../../btf.js';
import { INT_BOOL, INT_CHAR, INT_SIGNED, Kind } from '../../kinds.js';
import { alignOf } from '../../sizes.js';
import { resolveFlatSize } from '../flat-types.js';
import { Names } from './names.js';
import { TYPED_ARRAYS } from './prelude.js';
import { WireTypes } from './wire-types.js';

/** Typedef/modifier chains and array nesting deeper than this are refused
 * (real BTF has a handful; a cycle would be endless). */
const MAX_CHAIN = 64;

/** libbpf's bound on typedef/modifier/array chains in sizes and alignment
 * (sizes.ts, MAX_RESOLVE_DEPTH). */
const MAX_RESOLVE_DEPTH = 32;

/** alignWalk went deeper than MAX_RESOLVE_DEPTH. */
const TOO_DEEP = -3;

/**
 * How a scalar is read, as one number: 0..9 a DataView accessor with a
 * typed array (the index in TYPED_ARRAYS), or one of the codes below. The
 * scalar's byte size is always its type's own (scalarSize).
 */
export const SC_NONE = -1;
export const SC_BOOL = 10;
export const SC_U128 = 11;
export const SC_I128 = 12;
export const SC_BYTES = 13;
/** TYPED_ARRAYS indexes with a meaning of their own. */
export const TA_U64 = 6;
export const TA_I64 = 7;
export const TA_F32 = 8;
export const TA_F64 = 9;

/** Per scalar code 0..9: DataView accessor, typed array. */
export const TA_ACCESSOR: readonly string[] = TYPED_ARRAYS.map((t) => t[1]);
export const TA_ARRAY: readonly string[] = TYPED_ARRAYS.map((t) => t[2]);
export const TA_SUFFIX: readonly string[] = TYPED_ARRAYS.map((t) => t[0]);

/** Integer typed-array code for a size and signedness (-1: none). */
function intCode(size: number, signed: boolean): number {
  switch (size) {
    case 1:
      return signed ? 1 : 0;
    case 2:
      return signed ? 3 : 2;
    case 4:
      return signed ? 5 : 4;
    case 8:
      return signed ? TA_I64 : TA_U64;
    case 16:
      return signed ? SC_I128 : SC_U128;
    default:
      return SC_BYTES;
  }
}

/** A type's text in TS (see TypeView.tsMemo). */
interface TsText {
  ts: string;
  line: string;
  optLine: string;
}

export class TypeView {
  readonly w: WireTypes;
  readonly names: Names;
  readonly ptrSize: number;
  /** Alignment of structs and unions: 0 not computed, -1 failed, -2 being
   * computed, else the alignment. */
  private readonly alignMemo: Int8Array;
  /** For each memoised struct/union: how deep alignOf's walk goes below it
   * (see alignOrOne). */
  private readonly alignHeight: Uint16Array;
  /** Height of the subtree alignWalk last returned from. */
  private walkHeight = 0;
  /** Per id, made on first use: tsType at the top level, and the ends of
   * interface lines for a member of the type, `: T;\n` and `?: T;\n`
   * ('' until asked for). */
  private readonly tsMemo: (TsText | undefined)[];
  /** resolve() results plus one (0: not worked out yet). */
  private readonly resolved: Uint32Array;

  constructor(readonly btf: Btf) {
    const w = new WireTypes(btf);
    this.w = w;
    this.ptrSize = w.pointerSize();
    this.alignMemo = new Int8Array(w.count);
    this.alignHeight = new Uint16Array(w.count);
    this.tsMemo = new Array<TsText | undefined>(w.count).fill(undefined);
    this.resolved = new Uint32Array(w.count);
    this.names = new Names(w);
  }

  /** Skip modifiers and typedefs; 0 for void. */
  resolve(id: number): number {
    const k = this.w.kind[id];
    if (k !== Kind.Const && k !== Kind.Volatile && k !== Kind.Restrict && k !== Kind.TypeTag && k !== Kind.Typedef) return id;
    const known = this.resolved[id];
    if (known !== 0) return known - 1;
    const r = this.resolveOnce(id);
    this.resolved[id] = r + 1;
    return r;
  }

  private resolveOnce(id: number): number {
    const start = id;
    const w = this.w;
    for (let d = 0; d < MAX_CHAIN; d++) {
      if (id === 0) return 0;
      const k = w.kind[id];
      if (k === Kind.Const || k === Kind.Volatile || k === Kind.Restrict || k === Kind.TypeTag || k === Kind.Typedef) id = w.sot(id);
      else return id;
    }
    throw new BpfkitError('BAD_VALUE', `typedef/modifier chain longer than ${MAX_CHAIN} (or cyclic)`, { typeId: start });
  }

  /** Refuse arrays nested too deep (an array whose element type leads back to it). */
  static nest(depth: number, id: number): void {
    if (depth >= MAX_CHAIN) throw new BpfkitError('BAD_VALUE', `arrays nested more than ${MAX_CHAIN} deep (or cyclic)`, { typeId: id });
  }

  /** btf__resolve_size (sizes.ts sizeOf), or -1 where that throws. */
  sizeOrNone(id: number): number {
    const size = resolveFlatSize(this.w, id, this.ptrSize);
    return size < 0 ? -1 : size;
  }

  /**
   * btf__align_of (sizes.ts alignOf), or 1 where that throws. Structs and
   * unions are memoised across calls: a struct's alignment (or failure: a
   * member without one, a cycle) does not depend on where the walk met it,
   * except through alignOf's depth bound, which counts every level from the
   * type asked about. So each memoised struct also keeps the height of its
   * full walk, and when a query's walk is higher than the bound the answer
   * comes from alignOf itself (no real BTF nests that deep).
   */
  alignOrOne(id: number): number {
    const a = this.alignWalk(id, 0);
    if (a === -1) return 1;
    if (a === TOO_DEEP || this.walkHeight > MAX_RESOLVE_DEPTH) {
      try {
        return alignOf(this.btf, id);
      } catch {
        return 1;
      }
    }
    return a;
  }

  /** The alignment of id, -1 (no alignment, or a cycle) or TOO_DEEP (deeper
   * than alignOf goes: not memoised, as it depends on where the walk
   * started); sets walkHeight. */
  private alignWalk(id: number, depth: number): number {
    const w = this.w;
    this.walkHeight = 0;
    if (depth > MAX_RESOLVE_DEPTH) return TOO_DEEP;
    if (id === 0) return -1;
    switch (w.kind[id]) {
      case Kind.Int:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Float: {
        const s = w.sot(id);
        return s < this.ptrSize ? s : this.ptrSize;
      }
      case Kind.Ptr:
        return this.ptrSize;
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag: {
        const a = this.alignWalk(w.sot(id), depth + 1);
        this.walkHeight++;
        return a;
      }
      case Kind.Array: {
        const a = this.alignWalk(w.arrayElem(id), depth + 1);
        this.walkHeight++;
        return a;
      }
      case Kind.Struct:
      case Kind.Union:
        return this.alignComposite(id, depth);
      default:
        return -1;
    }
  }

  private alignComposite(id: number, depth: number): number {
    const memo = this.alignMemo;
    const known = memo[id];
    if (known === -2) {
      // Contains itself: alignOf throws. Every composite on the way up
      // fails too (see alignOrOne).
      return -1;
    }
    if (known !== 0) {
      this.walkHeight = this.alignHeight[id];
      return known;
    }
    memo[id] = -2;
    const w = this.w;
    const vlen = w.vlen(id);
    const kflag = w.kflag(id);
    let max = 1;
    let packed = false;
    let height = 0;
    for (let j = 0; j < vlen; j++) {
      const a = this.alignWalk(w.memberType(id, j), depth + 1);
      if (this.walkHeight + 1 > height) height = this.walkHeight + 1;
      if (a < 0) {
        memo[id] = a === TOO_DEEP ? 0 : -1;
        return a;
      }
      if (a > max) max = a;
      const off = w.memberOffsetWord(id, j);
      const bitfieldSize = kflag ? off >>> 24 : 0;
      const bitsOffset = kflag ? off & 0xffffff : off;
      if (bitfieldSize === 0 && bitsOffset % (8 * a) !== 0) {
        packed = true;
        break;
      }
    }
    const result = packed || w.sot(id) % max !== 0 ? 1 : max;
    memo[id] = result;
    this.alignHeight[id] = height > 0xffff ? 0xffff : height;
    this.walkHeight = height;
    return result;
  }

  /** The scalar code (SC_* or a TYPED_ARRAYS index) of a resolved type,
   * SC_NONE for composites, arrays and void. */
  scalar(rid: number): number {
    if (rid === 0) return SC_NONE;
    const w = this.w;
    switch (w.kind[rid]) {
      case Kind.Int: {
        const size = w.sot(rid);
        const enc = w.intEncoding(rid);
        if (enc & INT_BOOL) return size === 1 || size === 2 || size === 4 ? SC_BOOL : intCode(size, false);
        return intCode(size, (enc & INT_SIGNED) !== 0);
      }
      case Kind.Enum:
      case Kind.Enum64:
        return intCode(w.sot(rid), w.kflag(rid));
      case Kind.Ptr:
        return intCode(this.ptrSize, false);
      case Kind.Float: {
        const size = w.sot(rid);
        return size === 4 ? TA_F32 : size === 8 ? TA_F64 : SC_BYTES;
      }
      default:
        return SC_NONE;
    }
  }

  /** The byte size of a scalar (of a resolved type scalar() gave a code for). */
  scalarSize(rid: number): number {
    return this.w.kind[rid] === Kind.Ptr ? this.ptrSize : this.w.sot(rid);
  }

  isCharLike(rid: number): boolean {
    const w = this.w;
    if (rid === 0 || w.kind[rid] !== Kind.Int || w.sot(rid) !== 1) return false;
    const enc = w.intEncoding(rid);
    return (enc & INT_BOOL) === 0 && ((enc & INT_CHAR) !== 0 || w.strEquals(w.nameOff(rid), 'char'));
  }

  /** The TS type of a value of type `id` (names kept for typedefs/tags). */
  tsType(id: number): string {
    return this.tsText(id).ts;
  }

  private tsText(id: number): TsText {
    const hit = this.tsMemo[id];
    if (hit !== undefined) return hit;
    // Memoised at the top level only: deeper results depend on the depth.
    const t: TsText = { ts: this.tsTypeAt(id, 0), line: '', optLine: '' };
    this.tsMemo[id] = t;
    return t;
  }

  /** `: T;\n` (or `?: T;\n`) with T the tsType of id: the end of an
   * interface line. */
  tsLine(id: number, optional: boolean): string {
    const t = this.tsText(id);
    if (optional) return t.optLine !== '' ? t.optLine : (t.optLine = `?: ${t.ts};\n`);
    return t.line !== '' ? t.line : (t.line = `: ${t.ts};\n`);
  }

  private tsTypeAt(id: number, depth: number): string {
    if (depth > 64) return 'unknown';
    if (id === 0) return 'void';
    const w = this.w;
    const k = w.kind[id];
    switch (k) {
      case Kind.Const:
      case Kind.Volatile:
      case Kind.Restrict:
      case Kind.TypeTag:
        return this.tsTypeAt(w.sot(id), depth + 1);
      case Kind.Typedef:
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Fwd:
        return this.names.byId[id] ?? (k === Kind.Typedef ? this.tsTypeAt(w.sot(id), depth + 1) : 'unknown');
      case Kind.Array: {
        const er = this.resolve(w.arrayElem(id));
        if (this.isCharLike(er)) return 'string';
        const s = this.scalar(er);
        if (s >= 0 && s < SC_BOOL) return TA_ARRAY[s];
        return `${this.tsTypeAt(w.arrayElem(id), depth + 1)}[]`;
      }
      case Kind.FuncProto:
        return 'unknown';
      default: {
        const s = this.scalar(id);
        if (s === SC_NONE) return 'unknown';
        if (s === SC_BOOL) return 'boolean';
        if (s === SC_BYTES) return 'Uint8Array';
        return s === TA_U64 || s === TA_I64 || s === SC_U128 || s === SC_I128 ? 'bigint' : 'number';
      }
    }
  }
}
