import { BpfkitError } from '../../internal/errors.js';
import type { Btf } from '../btf.js';
import { Kind } from '../kinds.js';
import { isOpaque, type AnyBtfType, type BtfType, type CompositeType } from '../types.js';

/**
 * The dedup's view of a BTF: every id (base and own) to a type record, with
 * own types deep-copied because the reference pass rewrites their ids in
 * place, as libbpf does. Id 0 is void, which libbpf models as an all-zero
 * record (kind 0, no name), so comparisons against it simply fail.
 */
export const VOID: { kind: Kind.Unknown; name: string } = { kind: Kind.Unknown, name: '' };
export type ViewType = BtfType | typeof VOID;

export class TypeView {
  readonly count: number;
  readonly firstId: number;
  private readonly own: BtfType[];

  constructor(
    readonly btf: Btf,
    file: string | undefined,
  ) {
    this.firstId = btf.firstId;
    this.count = btf.typeCount;
    const list = [...btf];
    this.own = new Array(list.length);
    for (let i = 0; i < list.length; i++) this.own[i] = cloneChecked(list[i], this.firstId + i, this.count, file);
  }

  type(id: number): ViewType {
    if (id === 0) return VOID;
    if (id >= this.firstId) return this.own[id - this.firstId];
    return this.btf.base!.type(id) as BtfType;
  }

  ownType(id: number): BtfType {
    return this.own[id - this.firstId];
  }
}

/** The info word's bits as libbpf compares them: kind, kind_flag, vlen. */
export function infoOf(t: ViewType): number {
  if (t.kind === Kind.Unknown) return 0;
  return (t.kind << 24) | (t.kflag ? 0x80000000 : 0) | vlenOf(t);
}

export function vlenOf(t: BtfType): number {
  switch (t.kind) {
    case Kind.Struct:
    case Kind.Union:
      return t.members.length;
    case Kind.Enum:
    case Kind.Enum64:
      return t.values.length;
    case Kind.FuncProto:
      return t.params.length;
    case Kind.Datasec:
      return t.vars.length;
    case Kind.Func:
      return t.linkage;
    default:
      return t.vlen;
  }
}

/** The header's third word (size or referenced type), as stored. */
export function sizeOrTypeOf(t: ViewType): number {
  switch (t.kind) {
    case Kind.Unknown:
      return 0;
    case Kind.Int:
    case Kind.Struct:
    case Kind.Union:
    case Kind.Enum:
    case Kind.Enum64:
    case Kind.Datasec:
    case Kind.Float:
      return t.size;
    case Kind.Array:
    case Kind.Fwd:
      return t.sizeOrType;
    case Kind.FuncProto:
      return t.returnType;
    default:
      return t.type;
  }
}

/** A member's offset word as stored (bitfield size in the top byte when the
 * struct has kind_flag set). */
export function memberOffsetWord(s: CompositeType, i: number): number {
  const m = s.members[i];
  return s.kflag ? ((m.bitfieldSize << 24) | (m.bitsOffset & 0xffffff)) >>> 0 : m.bitsOffset;
}

/** The INT data word as stored. */
export function intWord(t: BtfType): number {
  if (t.kind !== Kind.Int) return 0;
  return (((t.encoding & 0x0f) << 24) | ((t.bitsOffset & 0xff) << 16) | (t.bits & 0xff) | t.reservedBits) >>> 0;
}

/** Deep-copy one own type, checking that every id it refers to exists: a
 * dangling id would otherwise surface as a crash deep inside a pass. */
function cloneChecked(t: AnyBtfType, id: number, count: number, file: string | undefined): BtfType {
  if (isOpaque(t)) {
    throw new BpfkitError('BAD_KIND', `cannot deduplicate a type of unknown kind`, { typeId: id, file });
  }
  const ref = (x: number): number => {
    if (!(Number.isInteger(x) && x >= 0 && x < count)) {
      throw new BpfkitError('OUT_OF_RANGE', `refers to type id ${x}, past the last type ${count - 1}`, { typeId: id, file });
    }
    return x;
  };
  switch (t.kind) {
    case Kind.Struct:
    case Kind.Union:
      return { ...t, members: t.members.map((m) => ({ ...m, type: ref(m.type) })) };
    case Kind.Enum:
      return { ...t, values: t.values.map((v) => ({ ...v })) };
    case Kind.Enum64:
      return { ...t, values: t.values.map((v) => ({ ...v })) };
    case Kind.FuncProto:
      return { ...t, returnType: ref(t.returnType), params: t.params.map((p) => ({ ...p, type: ref(p.type) })) };
    case Kind.Datasec:
      return { ...t, vars: t.vars.map((v) => ({ ...v, type: ref(v.type) })) };
    case Kind.Array:
      return { ...t, type: ref(t.type), indexType: ref(t.indexType) };
    case Kind.Int:
    case Kind.Fwd:
    case Kind.Float:
      return { ...t };
    default:
      return { ...t, type: ref(t.type) };
  }
}
