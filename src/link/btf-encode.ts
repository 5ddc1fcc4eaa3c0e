import type { DedupRecords } from '../btf/dedup/records.js';
import { Kind } from '../btf/kinds.js';
import { BTF_HEADER_MIN, writeBtfHeader } from '../btf/wire.js';
import { StringTableBuilder } from '../internal/strings.js';
import { Writer } from '../internal/writer.js';

/**
 * The linked object's .BTF, encoded straight from the deduplicated
 * records: the kept records in order (ids from 1), every reference passed
 * through `typeMap`, and every name given an offset in one fresh string
 * table, in type order (a type's name, then its member, enumerator or
 * parameter names), followed by `extra` strings (.BTF.ext section names,
 * file names, source lines, CO-RE access strings). The table depends only
 * on the types and the extra strings, so relinking a linked object
 * reproduces it. No type object is built.
 */
export function encodeLinkedBtf(
  recs: DedupRecords,
  kept: readonly number[],
  typeMap: Uint32Array,
  littleEndian: boolean,
  extra: Iterable<string>,
): { bytes: Uint8Array; types: number; offsetOf: (s: string) => number } {
  const w = recs.words;
  const strs = recs.strs;
  const b = new StringTableBuilder();
  let total = 0;
  for (const id of kept) total += recs.off[id + 1] - recs.off[id];
  const out = new Uint32Array(total);
  let at = 0;
  for (const id of kept) {
    const o = recs.off[id];
    const len = recs.off[id + 1] - o;
    for (let j = 0; j < len; j++) out[at + j] = w[o + j];
    const info = w[o + 1];
    const vlen = info & 0xffffff;
    out[at] = b.add(strs[w[o]]);
    switch ((info >>> 24) & 0x7f) {
      case Kind.Int:
      case Kind.Fwd:
      case Kind.Float:
        break;
      case Kind.Array:
        out[at + 3] = typeMap[w[o + 3]];
        out[at + 4] = typeMap[w[o + 4]];
        break;
      case Kind.Struct:
      case Kind.Union:
        for (let m = 3; m < 3 + 3 * vlen; m += 3) {
          out[at + m] = b.add(strs[w[o + m]]);
          out[at + m + 1] = typeMap[w[o + m + 1]];
        }
        break;
      case Kind.Enum:
        for (let m = 3; m < 3 + 2 * vlen; m += 2) out[at + m] = b.add(strs[w[o + m]]);
        break;
      case Kind.Enum64:
        for (let m = 3; m < 3 + 3 * vlen; m += 3) out[at + m] = b.add(strs[w[o + m]]);
        break;
      case Kind.FuncProto:
        out[at + 2] = typeMap[w[o + 2]];
        for (let m = 3; m < 3 + 2 * vlen; m += 2) {
          out[at + m] = b.add(strs[w[o + m]]);
          out[at + m + 1] = typeMap[w[o + m + 1]];
        }
        break;
      case Kind.Datasec:
        for (let m = 3; m < 3 + 3 * vlen; m += 3) out[at + m] = typeMap[w[o + m]];
        break;
      default:
        // PTR, TYPEDEF, modifiers, TYPE_TAG, FUNC, VAR, DECL_TAG.
        out[at + 2] = typeMap[w[o + 2]];
        break;
    }
    at += len;
  }
  for (const s of extra) b.add(s);
  const strBytes = b.finish();
  const typeLen = total * 4;
  const bw = new Writer(littleEndian, BTF_HEADER_MIN + typeLen + strBytes.byteLength);
  writeBtfHeader(bw, {
    version: 1,
    flags: 0,
    hdrLen: BTF_HEADER_MIN,
    typeOff: 0,
    typeLen,
    strOff: typeLen,
    strLen: strBytes.byteLength,
    extra: new Uint8Array(0),
  });
  for (let i = 0; i < total; i++) bw.u32(out[i]);
  bw.bytes(strBytes);
  return { bytes: bw.finish(), types: kept.length, offsetOf: (s) => b.add(s) };
}
