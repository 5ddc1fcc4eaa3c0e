import { BpfkitError } from '../internal/errors.js';
import type { StringTable } from '../internal/strings.js';
import { Kind } from './kinds.js';
import type { AnyBtfType, Member } from './types.js';
import { infoKflag, infoKind, infoVlen } from './wire.js';
import type { BtfWire } from './wire-index.js';

/** Resolves combined-space string offsets to strings. */
export type NameOf = (off: number) => string;

export function nameResolver(wire: BtfWire, own: StringTable, baseName: NameOf | undefined): NameOf {
  const strBase = wire.strBase;
  return (off) => (off < strBase && baseName !== undefined ? baseName(off) : own.get(off - strBase));
}

/**
 * Decode own type number `i` of an indexed type section into the model.
 * The index has already checked sizes, names and references.
 */
export function decodeType(w: BtfWire, i: number, name: NameOf): AnyBtfType {
  const p = w.offsets[i];
  const id = w.firstId + i;
  const nameOff = w.u32(p);
  const info = w.u32(p + 4);
  const sot = w.u32(p + 8);
  const kind = infoKind(info);
  const vlen = infoVlen(info);
  const kflag = infoKflag(info);
  const base = { id, name: name(nameOff), nameOff, kflag };
  const q = p + 12;
  switch (kind) {
    case Kind.Int: {
      const d = w.u32(q);
      return {
        ...base,
        kind,
        vlen,
        size: sot,
        encoding: (d >>> 24) & 0x0f,
        bitsOffset: (d >>> 16) & 0xff,
        bits: d & 0xff,
        reservedBits: (d & 0xf000ff00) >>> 0,
      };
    }
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
      return { ...base, kind, vlen, type: sot };
    case Kind.Array:
      return { ...base, kind, vlen, sizeOrType: sot, type: w.u32(q), indexType: w.u32(q + 4), nelems: w.u32(q + 8) };
    case Kind.Struct:
    case Kind.Union: {
      const members: Member[] = new Array(vlen);
      for (let j = 0, m = q; j < vlen; j++, m += 12) {
        const off = w.u32(m + 8);
        const mo = w.u32(m);
        members[j] = {
          name: name(mo),
          nameOff: mo,
          type: w.u32(m + 4),
          bitsOffset: kflag ? off & 0xffffff : off,
          bitfieldSize: kflag ? off >>> 24 : 0,
        };
      }
      return { ...base, kind, size: sot, members };
    }
    case Kind.Enum: {
      const values = new Array(vlen);
      for (let j = 0, m = q; j < vlen; j++, m += 8) {
        const vo = w.u32(m);
        values[j] = { name: name(vo), nameOff: vo, value: kflag ? w.i32(m + 4) : w.u32(m + 4) };
      }
      return { ...base, kind, size: sot, values };
    }
    case Kind.Enum64: {
      const values = new Array(vlen);
      for (let j = 0, m = q; j < vlen; j++, m += 12) {
        const vo = w.u32(m);
        const u = (BigInt(w.u32(m + 8)) << 32n) | BigInt(w.u32(m + 4));
        values[j] = { name: name(vo), nameOff: vo, value: kflag ? BigInt.asIntN(64, u) : u };
      }
      return { ...base, kind, size: sot, values };
    }
    case Kind.Fwd:
      return { ...base, kind, vlen, sizeOrType: sot };
    case Kind.Func:
      return { ...base, kind, type: sot, linkage: vlen };
    case Kind.FuncProto: {
      const params = new Array(vlen);
      for (let j = 0, m = q; j < vlen; j++, m += 8) {
        const po = w.u32(m);
        params[j] = { name: name(po), nameOff: po, type: w.u32(m + 4) };
      }
      return { ...base, kind, returnType: sot, params };
    }
    case Kind.Var:
      return { ...base, kind, vlen, type: sot, linkage: w.u32(q) };
    case Kind.Datasec: {
      const vars = new Array(vlen);
      for (let j = 0, m = q; j < vlen; j++, m += 12) vars[j] = { type: w.u32(m), offset: w.u32(m + 4), size: w.u32(m + 8) };
      return { ...base, kind, size: sot, vars };
    }
    case Kind.Float:
      return { ...base, kind, vlen, size: sot };
    case Kind.DeclTag:
      return { ...base, kind, vlen, type: sot, componentIdx: w.i32(q) };
    default: {
      const end = w.offsets[i + 1];
      if (w.layout?.[kind] === undefined) {
        throw new BpfkitError('BAD_KIND', `unknown BTF kind ${kind}`, { typeId: id, offset: w.fileOffset + p + 4 });
      }
      return { ...base, kind: Kind.Unknown, rawKind: kind, vlen, sizeOrType: sot, data: w.typeBytes.slice(q, end), opaque: true };
    }
  }
}
