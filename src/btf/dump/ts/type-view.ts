/**
 * How BTF types look from the generated TypeScript: modifier/typedef
 * resolution, sizes, the scalar form of a type (which DataView accessor or
 * typed array reads it) and the TS type of its values. Shared by the value
 * and member codec code and by the declarations, so it sits on its own.
 */
import { BpfkitError } from '../../../internal/errors.js';
import type { Btf } from '../../btf.js';
import { INT_BOOL, INT_CHAR, INT_SIGNED, Kind } from '../../kinds.js';
import { alignOf, pointerSize, sizeOf } from '../../sizes.js';
import type { AnyBtfType } from '../../types.js';
import { Names } from './names.js';
import { TYPED_ARRAYS, type TypedArraySuffix } from './prelude.js';

/** Typedef/modifier chains and array nesting deeper than this are refused
 * (real BTF has a handful; a cycle would be endless). */
const MAX_CHAIN = 64;

/** How a scalar is read. */
export type Scalar =
  | { k: 'ta'; suffix: TypedArraySuffix; size: number; signed: boolean; big: boolean }
  | { k: 'bool'; size: number }
  | { k: 'i128'; signed: boolean }
  | { k: 'bytes'; size: number };

export const TA_BY_SUFFIX = new Map(TYPED_ARRAYS.map((t) => [t[0], t] as const));

const MODS = new Set<number>([Kind.Const, Kind.Volatile, Kind.Restrict, Kind.TypeTag]);

export class TypeView {
  readonly names: Names;
  readonly ptrSize: number;

  constructor(readonly btf: Btf) {
    this.names = new Names(btf);
    this.ptrSize = pointerSize(btf);
  }

  t(id: number): AnyBtfType | undefined {
    return id === 0 ? undefined : this.btf.type(id);
  }

  /** Skip modifiers and typedefs; 0 for void. */
  resolve(id: number): number {
    const start = id;
    for (let d = 0; d < MAX_CHAIN; d++) {
      const t = this.t(id);
      if (t === undefined) return 0;
      if (MODS.has(t.kind) || t.kind === Kind.Typedef) id = (t as { type: number }).type;
      else return id;
    }
    throw new BpfkitError('BAD_VALUE', `typedef/modifier chain longer than ${MAX_CHAIN} (or cyclic)`, { typeId: start });
  }

  /** Refuse arrays nested too deep (an array whose element type leads back to it). */
  static nest(depth: number, id: number): void {
    if (depth >= MAX_CHAIN) throw new BpfkitError('BAD_VALUE', `arrays nested more than ${MAX_CHAIN} deep (or cyclic)`, { typeId: id });
  }

  sizeOrUndefined(id: number): number | undefined {
    try {
      return sizeOf(this.btf, id);
    } catch {
      return undefined;
    }
  }

  alignOrOne(id: number): number {
    try {
      return alignOf(this.btf, id);
    } catch {
      return 1;
    }
  }

  /** The scalar form of a resolved type, or undefined for composites/arrays/void. */
  scalar(rid: number): Scalar | undefined {
    const t = this.t(rid);
    if (t === undefined) return undefined;
    const ta = (size: number, signed: boolean, float = false): Scalar => {
      if (float) {
        if (size === 4) return { k: 'ta', suffix: 'f32', size, signed: true, big: false };
        if (size === 8) return { k: 'ta', suffix: 'f64', size, signed: true, big: false };
        return { k: 'bytes', size };
      }
      switch (size) {
        case 1:
          return { k: 'ta', suffix: signed ? 'i8' : 'u8', size, signed, big: false };
        case 2:
          return { k: 'ta', suffix: signed ? 'i16' : 'u16', size, signed, big: false };
        case 4:
          return { k: 'ta', suffix: signed ? 'i32' : 'u32', size, signed, big: false };
        case 8:
          return { k: 'ta', suffix: signed ? 'i64' : 'u64', size, signed, big: true };
        case 16:
          return { k: 'i128', signed };
        default:
          return { k: 'bytes', size };
      }
    };
    switch (t.kind) {
      case Kind.Int:
        if (t.encoding & INT_BOOL) return t.size === 1 || t.size === 2 || t.size === 4 ? { k: 'bool', size: t.size } : ta(t.size, false);
        return ta(t.size, (t.encoding & INT_SIGNED) !== 0);
      case Kind.Enum:
      case Kind.Enum64:
        return ta(t.size, t.kflag);
      case Kind.Ptr:
        return ta(this.ptrSize, false);
      case Kind.Float:
        return ta(t.size, true, true);
      default:
        return undefined;
    }
  }

  isCharLike(rid: number): boolean {
    const t = this.t(rid);
    return t !== undefined && t.kind === Kind.Int && t.size === 1 && (t.encoding & INT_BOOL) === 0 && (t.name === 'char' || (t.encoding & INT_CHAR) !== 0);
  }

  private scalarTs(s: Scalar): string {
    switch (s.k) {
      case 'ta':
        return s.big ? 'bigint' : 'number';
      case 'bool':
        return 'boolean';
      case 'i128':
        return 'bigint';
      case 'bytes':
        return 'Uint8Array';
    }
  }

  /** The TS type of a value of type `id` (names kept for typedefs/tags). */
  tsType(id: number, depth = 0): string {
    if (depth > 64) return 'unknown';
    const t = this.t(id);
    if (t === undefined) return 'void';
    switch (t.kind) {
      case Kind.Const:
      case Kind.Volatile:
      case Kind.Restrict:
      case Kind.TypeTag:
        return this.tsType(t.type, depth + 1);
      case Kind.Typedef:
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Fwd:
        return this.names.byId.get(id) ?? (t.kind === Kind.Typedef ? this.tsType(t.type, depth + 1) : 'unknown');
      case Kind.Array: {
        const er = this.resolve(t.type);
        if (this.isCharLike(er)) return 'string';
        const s = this.scalar(er);
        if (s !== undefined && s.k === 'ta') return TA_BY_SUFFIX.get(s.suffix)![2];
        return `${this.tsType(t.type, depth + 1)}[]`;
      }
      case Kind.FuncProto:
        return 'unknown';
      default: {
        const s = this.scalar(id);
        return s === undefined ? 'unknown' : this.scalarTs(s);
      }
    }
  }
}
