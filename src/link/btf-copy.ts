import type { Btf } from '../btf/btf.js';
import { Kind } from '../btf/kinds.js';
import { isOpaque, type AnyBtfType, type BtfType, type CompositeType, type Enum64Value, type EnumValue, type Member, type Param, type RefType } from '../btf/types.js';
import type { BtfWire } from '../btf/wire-index.js';
import { infoKflag, infoKind, infoVlen } from '../btf/wire.js';
import { linkError } from './errors.js';

/**
 * A copy of `t` with a new id and every type reference passed through
 * `map`. Names are kept as strings; string offsets are assigned when the
 * output BTF is encoded.
 */
export function copyType(t: AnyBtfType, id: number, map: (ref: number) => number, file: string): BtfType {
  if (isOpaque(t)) {
    throw linkError('UNSUPPORTED', `BTF kind ${t.rawKind} is newer than this linker`, { file, section: '.BTF', typeId: t.id });
  }
  const base = { id, name: t.name, nameOff: 0, kflag: t.kflag };
  switch (t.kind) {
    case Kind.Int:
    case Kind.Float:
    case Kind.Fwd:
      return { ...t, ...base };
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
    case Kind.Func:
    case Kind.Var:
    case Kind.DeclTag:
      return { ...t, ...base, type: map(t.type) };
    case Kind.Array:
      return { ...t, ...base, type: map(t.type), indexType: map(t.indexType) };
    case Kind.Struct:
    case Kind.Union:
      return { ...t, ...base, members: t.members.map((m) => ({ ...m, nameOff: 0, type: map(m.type) })) };
    case Kind.Enum:
      return { ...t, ...base, values: t.values.map((v) => ({ ...v, nameOff: 0 })) };
    case Kind.Enum64:
      return { ...t, ...base, values: t.values.map((v) => ({ ...v, nameOff: 0 })) };
    case Kind.FuncProto:
      return { ...t, ...base, returnType: map(t.returnType), params: t.params.map((p) => ({ ...p, nameOff: 0, type: map(p.type) })) };
    case Kind.Datasec:
      return { ...t, ...base, vars: t.vars.map((v) => ({ ...v, type: map(v.type) })) };
  }
}

/**
 * Names of one input's BTF by string offset, each decoded once, and the
 * same string object for the same name across inputs: fewer strings to
 * collect, and name comparisons in dedup that succeed on identity.
 */
export class NameCache {
  /** By offset: an array while that is small, else a map. */
  private readonly byOffset: (string | undefined)[] | Map<number, string>;

  constructor(
    private readonly btf: Btf,
    private readonly shared: Map<string, string>,
  ) {
    const size = btf.strOffsetBase + btf.strings.size;
    this.byOffset = size <= MAX_ARRAY_CACHE ? new Array<string | undefined>(size) : new Map();
  }

  get(off: number): string {
    const c = this.byOffset;
    const hit = Array.isArray(c) ? c[off] : c.get(off);
    return hit ?? this.miss(off);
  }

  private miss(off: number): string {
    const decoded = this.btf.str(off);
    let s = this.shared.get(decoded);
    if (s === undefined) {
      this.shared.set(decoded, decoded);
      s = decoded;
    }
    const c = this.byOffset;
    if (Array.isArray(c)) c[off] = s;
    else c.set(off, s);
    return s;
  }
}

/** Largest string space cached in an array (8 bytes per offset). */
const MAX_ARRAY_CACHE = 1 << 20;

/**
 * copyType for own types of one input BTF still backed by its wire index,
 * read straight from the wire records: the same output types as decoding
 * the input types and copying them, without building the decoded types
 * first. `map[ref]` is the output id of input type `ref` (0 for a type not
 * carried over, which only void may be). One small function per kind: each
 * is optimised on its own (one large function took V8 longer to optimise
 * than to run cold).
 */
export class WireCopier {
  private readonly words: Uint32Array;

  constructor(
    private readonly btf: Btf,
    private readonly w: BtfWire,
    private readonly map: Uint32Array,
    private readonly file: string,
    private readonly names: NameCache,
  ) {
    this.words = w.words;
  }

  /** The output type for own type number `i`, with output id `id`. */
  copy(i: number, id: number): BtfType {
    const q = this.w.offsets[i] >> 2;
    const info = this.words[q + 1];
    const kind = infoKind(info);
    switch (kind) {
      case Kind.Ptr:
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
        return this.ref(q, info, id, kind);
      case Kind.Struct:
      case Kind.Union:
        return this.composite(q, info, id, kind);
      case Kind.FuncProto:
        return this.proto(q, info, id);
      case Kind.Int:
        return this.int(q, info, id);
      case Kind.Array:
        return this.array(q, info, id);
      case Kind.Enum:
        return this.enum32(q, info, id);
      case Kind.Enum64:
        return this.enum64(q, info, id);
      case Kind.Fwd:
        return { id, name: this.name(q), nameOff: 0, kflag: infoKflag(info), kind, vlen: infoVlen(info), sizeOrType: this.words[q + 2] };
      case Kind.Func:
        return { id, name: this.name(q), nameOff: 0, kflag: infoKflag(info), kind, type: this.to(this.words[q + 2]), linkage: infoVlen(info) };
      case Kind.Var:
        return { id, name: this.name(q), nameOff: 0, kflag: infoKflag(info), kind, vlen: infoVlen(info), type: this.to(this.words[q + 2]), linkage: this.words[q + 3] };
      case Kind.Float:
        return { id, name: this.name(q), nameOff: 0, kflag: infoKflag(info), kind, vlen: infoVlen(info), size: this.words[q + 2] };
      case Kind.DeclTag:
        return {
          id,
          name: this.name(q),
          nameOff: 0,
          kflag: infoKflag(info),
          kind,
          vlen: infoVlen(info),
          type: this.to(this.words[q + 2]),
          componentIdx: this.words[q + 3] | 0,
        };
      default:
        // DATASECs are rebuilt, not copied; anything else is a kind newer
        // than this linker (decoded as opaque): copyType reports it.
        return copyType(this.btf.type(this.w.firstId + i)!, id, (r) => this.to(r), this.file);
    }
  }

  private name(q: number): string {
    return this.names.get(this.words[q]);
  }

  private to(ref: number): number {
    return mapRef(this.map, ref, this.file);
  }

  private ref(q: number, info: number, id: number, kind: RefType['kind']): BtfType {
    return { id, name: this.name(q), nameOff: 0, kflag: infoKflag(info), kind, vlen: infoVlen(info), type: this.to(this.words[q + 2]) };
  }

  private int(q: number, info: number, id: number): BtfType {
    const x = this.words[q + 3];
    return {
      id,
      name: this.name(q),
      nameOff: 0,
      kflag: infoKflag(info),
      kind: Kind.Int,
      vlen: infoVlen(info),
      size: this.words[q + 2],
      encoding: (x >>> 24) & 0x0f,
      bitsOffset: (x >>> 16) & 0xff,
      bits: x & 0xff,
      reservedBits: (x & 0xf000ff00) >>> 0,
    };
  }

  private array(q: number, info: number, id: number): BtfType {
    const words = this.words;
    return {
      id,
      name: this.name(q),
      nameOff: 0,
      kflag: infoKflag(info),
      kind: Kind.Array,
      vlen: infoVlen(info),
      sizeOrType: words[q + 2],
      type: this.to(words[q + 3]),
      indexType: this.to(words[q + 4]),
      nelems: words[q + 5],
    };
  }

  private composite(q: number, info: number, id: number, kind: CompositeType['kind']): BtfType {
    const words = this.words;
    const vlen = infoVlen(info);
    const kflag = infoKflag(info);
    const members: Member[] = [];
    for (let m = q + 3, end = m + 3 * vlen; m < end; m += 3) {
      const off = words[m + 2];
      members.push({
        name: this.names.get(words[m]),
        nameOff: 0,
        type: this.to(words[m + 1]),
        bitsOffset: kflag ? off & 0xffffff : off,
        bitfieldSize: kflag ? off >>> 24 : 0,
      });
    }
    return { id, name: this.name(q), nameOff: 0, kflag, kind, size: words[q + 2], members };
  }

  private proto(q: number, info: number, id: number): BtfType {
    const words = this.words;
    const vlen = infoVlen(info);
    const returnType = this.to(words[q + 2]);
    const params: Param[] = [];
    for (let m = q + 3, end = m + 2 * vlen; m < end; m += 2) params.push({ name: this.names.get(words[m]), nameOff: 0, type: this.to(words[m + 1]) });
    return { id, name: this.name(q), nameOff: 0, kflag: infoKflag(info), kind: Kind.FuncProto, returnType, params };
  }

  private enum32(q: number, info: number, id: number): BtfType {
    const words = this.words;
    const vlen = infoVlen(info);
    const kflag = infoKflag(info);
    const values: EnumValue[] = [];
    for (let m = q + 3, end = m + 2 * vlen; m < end; m += 2) values.push({ name: this.names.get(words[m]), nameOff: 0, value: kflag ? words[m + 1] | 0 : words[m + 1] });
    return { id, name: this.name(q), nameOff: 0, kflag, kind: Kind.Enum, size: words[q + 2], values };
  }

  private enum64(q: number, info: number, id: number): BtfType {
    const words = this.words;
    const vlen = infoVlen(info);
    const kflag = infoKflag(info);
    const values: Enum64Value[] = [];
    for (let m = q + 3, end = m + 3 * vlen; m < end; m += 3) {
      const u = (BigInt(words[m + 2]) << 32n) | BigInt(words[m + 1]);
      values.push({ name: this.names.get(words[m]), nameOff: 0, value: kflag ? BigInt.asIntN(64, u) : u });
    }
    return { id, name: this.name(q), nameOff: 0, kflag, kind: Kind.Enum64, size: words[q + 2], values };
  }
}

/** The output id of input type `ref`, which must have been carried over. */
function mapRef(map: Uint32Array, ref: number, file: string): number {
  const to = map[ref];
  if (to === 0 && ref !== 0) {
    throw linkError('BAD_VALUE', `type refers to [${ref}], which was not carried into the output`, { file, section: '.BTF' });
  }
  return to;
}
