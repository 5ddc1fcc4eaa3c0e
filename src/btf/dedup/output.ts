import type { Btf } from '../btf.js';
import { Kind } from '../kinds.js';
import type { BtfType } from '../types.js';
import type { DedupRecords } from './records.js';

/**
 * The string offset a name gets in the output: from its string number, its
 * text and the offset it had in the input.
 */
export type NameOffset = (strNo: number, name: string, was: number) => number;

/**
 * The kept types as new type objects: each input type copied with its new
 * id, every type reference passed through `typeMap` and every name given
 * its offset in the new string table. Only kept types are materialised;
 * their string numbers come from the records (whose name words the passes
 * never change).
 */
export function outputTypes(btf: Btf, recs: DedupRecords, kept: readonly number[], typeMap: Uint32Array, nameOff: NameOffset): BtfType[] {
  const out: BtfType[] = new Array(kept.length);
  const w = recs.words;
  const r = (x: number): number => typeMap[x];
  for (let i = 0; i < kept.length; i++) {
    const oldId = kept[i];
    // Own types were checked when the records were built: none is opaque.
    const t = btf.type(oldId) as BtfType;
    const o = recs.off[oldId];
    const id = recs.firstId + i;
    const name = nameOff(w[o], t.name, t.nameOff);
    // Entry k's name word: o + 3 + stride * k.
    const at = (stride: number, k: number): number => w[o + 3 + stride * k];
    switch (t.kind) {
      case Kind.Int:
      case Kind.Fwd:
      case Kind.Float:
        out[i] = { ...t, id, nameOff: name };
        break;
      case Kind.Struct:
      case Kind.Union:
        out[i] = { ...t, id, nameOff: name, members: t.members.map((m, k) => ({ ...m, nameOff: nameOff(at(3, k), m.name, m.nameOff), type: r(m.type) })) };
        break;
      case Kind.Enum:
        out[i] = { ...t, id, nameOff: name, values: t.values.map((v, k) => ({ ...v, nameOff: nameOff(at(2, k), v.name, v.nameOff) })) };
        break;
      case Kind.Enum64:
        out[i] = { ...t, id, nameOff: name, values: t.values.map((v, k) => ({ ...v, nameOff: nameOff(at(3, k), v.name, v.nameOff) })) };
        break;
      case Kind.FuncProto:
        out[i] = {
          ...t,
          id,
          nameOff: name,
          returnType: r(t.returnType),
          params: t.params.map((p, k) => ({ ...p, nameOff: nameOff(at(2, k), p.name, p.nameOff), type: r(p.type) })),
        };
        break;
      case Kind.Datasec:
        out[i] = { ...t, id, nameOff: name, vars: t.vars.map((v) => ({ ...v, type: r(v.type) })) };
        break;
      case Kind.Array:
        out[i] = { ...t, id, nameOff: name, type: r(t.type), indexType: r(t.indexType) };
        break;
      default:
        out[i] = { ...t, id, nameOff: name, type: r(t.type) };
        break;
    }
  }
  return out;
}
