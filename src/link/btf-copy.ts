import type { Btf } from '../btf/btf.js';
import { Kind } from '../btf/kinds.js';
import { isOpaque, type AnyBtfType, type BtfType, type Enum64Value, type EnumValue, type Member, type Param } from '../btf/types.js';
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
  private readonly byOffset: (string | undefined)[] = [];

  constructor(
    private readonly btf: Btf,
    private readonly shared: Map<string, string>,
  ) {}

  get(off: number): string {
    let s = this.byOffset[off];
    if (s === undefined) {
      const decoded = this.btf.str(off);
      s = this.shared.get(decoded);
      if (s === undefined) {
        this.shared.set(decoded, decoded);
        s = decoded;
      }
      this.byOffset[off] = s;
    }
    return s;
  }
}

/**
 * copyType for own type number `i` of a BTF still backed by its wire index,
 * read straight from the wire record: the same output type as decoding the
 * input type and copying it, without building the decoded type first.
 * `map[ref]` is the output id of input type `ref` (0 for a type not
 * carried over, which only void may be).
 */
export function copyWireType(btf: Btf, w: BtfWire, i: number, id: number, map: Uint32Array, file: string, names: NameCache): BtfType {
  const words = w.words;
  const q = w.offsets[i] >> 2;
  const info = words[q + 1];
  const sot = words[q + 2];
  const kind = infoKind(info);
  const vlen = infoVlen(info);
  const kflag = infoKflag(info);
  const name = names.get(words[q]);
  const d = q + 3;
  switch (kind) {
    case Kind.Int: {
      const x = words[d];
      return {
        id,
        name,
        nameOff: 0,
        kflag,
        kind,
        vlen,
        size: sot,
        encoding: (x >>> 24) & 0x0f,
        bitsOffset: (x >>> 16) & 0xff,
        bits: x & 0xff,
        reservedBits: (x & 0xf000ff00) >>> 0,
      };
    }
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
      return { id, name, nameOff: 0, kflag, kind, vlen, type: mapRef(map, sot, file) };
    case Kind.Array:
      return { id, name, nameOff: 0, kflag, kind, vlen, sizeOrType: sot, type: mapRef(map, words[d], file), indexType: mapRef(map, words[d + 1], file), nelems: words[d + 2] };
    case Kind.Struct:
    case Kind.Union: {
      const members: Member[] = new Array(vlen);
      for (let j = 0, m = d; j < vlen; j++, m += 3) {
        const off = words[m + 2];
        members[j] = {
          name: names.get(words[m]),
          nameOff: 0,
          type: mapRef(map, words[m + 1], file),
          bitsOffset: kflag ? off & 0xffffff : off,
          bitfieldSize: kflag ? off >>> 24 : 0,
        };
      }
      return { id, name, nameOff: 0, kflag, kind, size: sot, members };
    }
    case Kind.Enum: {
      const values: EnumValue[] = new Array(vlen);
      for (let j = 0, m = d; j < vlen; j++, m += 2) {
        values[j] = { name: names.get(words[m]), nameOff: 0, value: kflag ? words[m + 1] | 0 : words[m + 1] };
      }
      return { id, name, nameOff: 0, kflag, kind, size: sot, values };
    }
    case Kind.Enum64: {
      const values: Enum64Value[] = new Array(vlen);
      for (let j = 0, m = d; j < vlen; j++, m += 3) {
        const u = (BigInt(words[m + 2]) << 32n) | BigInt(words[m + 1]);
        values[j] = { name: names.get(words[m]), nameOff: 0, value: kflag ? BigInt.asIntN(64, u) : u };
      }
      return { id, name, nameOff: 0, kflag, kind, size: sot, values };
    }
    case Kind.Fwd:
      return { id, name, nameOff: 0, kflag, kind, vlen, sizeOrType: sot };
    case Kind.Func:
      return { id, name, nameOff: 0, kflag, kind, type: mapRef(map, sot, file), linkage: vlen };
    case Kind.FuncProto: {
      const returnType = mapRef(map, sot, file);
      const params: Param[] = new Array(vlen);
      for (let j = 0, m = d; j < vlen; j++, m += 2) params[j] = { name: names.get(words[m]), nameOff: 0, type: mapRef(map, words[m + 1], file) };
      return { id, name, nameOff: 0, kflag, kind, returnType, params };
    }
    case Kind.Var:
      return { id, name, nameOff: 0, kflag, kind, vlen, type: mapRef(map, sot, file), linkage: words[d] };
    case Kind.Float:
      return { id, name, nameOff: 0, kflag, kind, vlen, size: sot };
    case Kind.DeclTag:
      return { id, name, nameOff: 0, kflag, kind, vlen, type: mapRef(map, sot, file), componentIdx: words[d] | 0 };
    default:
      // DATASECs are rebuilt, not copied; anything else is a kind newer
      // than this linker (decoded as opaque): copyType reports it.
      return copyType(btf.type(w.firstId + i)!, id, (r) => mapRef(map, r, file), file);
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
