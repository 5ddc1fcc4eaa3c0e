import { BpfkitError } from '../../internal/errors.js';
import { Kind } from '../kinds.js';
import type { BtfType, Enum64Value, EnumValue, Member, Param, VarSecinfo } from '../types.js';
import { runTypePasses, withDedupErrors } from './passes.js';
import type { DedupRecords } from './records.js';

export interface RecordsDedupResult {
  /** The own ids kept, in order: they get ids from recs.firstId on. Their
   * records (in `recs`, references rewritten) are the output types once
   * every reference is passed through `typeMap` (see decodeRecord). */
  kept: number[];
  /** Old id -> new id, as DedupResult.typeMap. */
  typeMap: Uint32Array;
}

/**
 * dedupBtf's type passes for a caller that builds the records itself (the
 * static linker appends its inputs' wire records straight into them) and
 * encodes the result itself, so that no type object exists before or
 * after the dedup. There is no string pass: the caller lays out the string
 * table. Record ids must have been checked (each < recs.count) by the
 * builder. The reference pass rewrites ids inside `recs` in place.
 */
export function dedupRecords(recs: DedupRecords, opts: { file?: string; maxWalkSteps?: number } = {}): RecordsDedupResult {
  return withDedupErrors(opts.file, () => runTypePasses(recs, opts.file, opts.maxWalkSteps));
}

/**
 * One record as a type object with id `id`, references through `map`, the
 * fields exactly as decoding its wire record gives them; name offsets from
 * `nameOff` by string number (none: 0).
 */
export function decodeRecord(recs: DedupRecords, oldId: number, id: number, map: Uint32Array, nameOff: (no: number) => number = () => 0): BtfType {
  const w = recs.words;
  const s = recs.strs;
  const o = recs.off[oldId];
  const info = w[o + 1];
  const kind = (info >>> 24) & 0x7f;
  const kflag = info >>> 31 === 1;
  const vlen = info & 0xffffff;
  const name = s[w[o]];
  const no = nameOff(w[o]);
  const sot = w[o + 2];
  switch (kind) {
    case Kind.Int: {
      const x = w[o + 3];
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
      return { id, name, nameOff: no, kflag, kind, vlen, type: map[sot] };
    case Kind.Func:
      return { id, name, nameOff: no, kflag, kind, type: map[sot], linkage: vlen };
    case Kind.Var:
      return { id, name, nameOff: no, kflag, kind, vlen, type: map[sot], linkage: w[o + 3] };
    case Kind.DeclTag:
      return { id, name, nameOff: no, kflag, kind, vlen, type: map[sot], componentIdx: w[o + 3] | 0 };
    case Kind.Fwd:
      return { id, name, nameOff: no, kflag, kind, vlen, sizeOrType: sot };
    case Kind.Float:
      return { id, name, nameOff: no, kflag, kind, vlen, size: sot };
    case Kind.Array:
      return { id, name, nameOff: no, kflag, kind, vlen, sizeOrType: sot, type: map[w[o + 3]], indexType: map[w[o + 4]], nelems: w[o + 5] };
    case Kind.Struct:
    case Kind.Union: {
      const members: Member[] = [];
      for (let m = o + 3, end = m + 3 * vlen; m < end; m += 3) {
        const x = w[m + 2];
        members.push({ name: s[w[m]], nameOff: nameOff(w[m]), type: map[w[m + 1]], bitsOffset: kflag ? x & 0xffffff : x, bitfieldSize: kflag ? x >>> 24 : 0 });
      }
      return { id, name, nameOff: no, kflag, kind, size: sot, members };
    }
    case Kind.Enum: {
      const values: EnumValue[] = [];
      for (let m = o + 3, end = m + 2 * vlen; m < end; m += 2) values.push({ name: s[w[m]], nameOff: nameOff(w[m]), value: kflag ? w[m + 1] | 0 : w[m + 1] });
      return { id, name, nameOff: no, kflag, kind, size: sot, values };
    }
    case Kind.Enum64: {
      const values: Enum64Value[] = [];
      for (let m = o + 3, end = m + 3 * vlen; m < end; m += 3) {
        const u = (BigInt(w[m + 2]) << 32n) | BigInt(w[m + 1]);
        values.push({ name: s[w[m]], nameOff: nameOff(w[m]), value: kflag ? BigInt.asIntN(64, u) : u });
      }
      return { id, name, nameOff: no, kflag, kind, size: sot, values };
    }
    case Kind.FuncProto: {
      const params: Param[] = [];
      for (let m = o + 3, end = m + 2 * vlen; m < end; m += 2) params.push({ name: s[w[m]], nameOff: nameOff(w[m]), type: map[w[m + 1]] });
      return { id, name, nameOff: no, kflag, kind, returnType: map[sot], params };
    }
    case Kind.Datasec: {
      const vars: VarSecinfo[] = [];
      for (let m = o + 3, end = m + 3 * vlen; m < end; m += 3) vars.push({ type: map[w[m]], offset: w[m + 1], size: w[m + 2] });
      return { id, name, nameOff: no, kflag, kind, size: sot, vars };
    }
    default:
      throw new BpfkitError('BAD_KIND', `a record of kind ${kind} cannot be decoded`, { typeId: oldId });
  }
}
