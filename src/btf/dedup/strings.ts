import { StringTable, decodeLatin1 } from '../../internal/strings.js';
import type { Btf } from '../btf.js';
import type { BtfExt } from '../ext/types.js';
import { nameStride, type DedupRecords } from './records.js';

/**
 * The string pass. libbpf builds a fresh string set by visiting every
 * string reference of every own type in id order (the type's name, then
 * member / enumerator / parameter names), then those of .BTF.ext when one is
 * given (section names, line_info file and line text, CO-RE access strings).
 * This runs before any type is dropped, so strings of duplicates stay.
 * For split BTF a string the base already holds keeps the base's offset, and
 * the own table has no leading empty string (offset 0 is the base's).
 */
export interface DedupedStrings {
  /** The new own string table. */
  table: StringTable;
  /** Offset (in the combined string space) of a string of the table. */
  offsetOf(s: string): number | undefined;
  /** The same by string number of the records (-1: not in the table);
   * only from dedupStrings. */
  offsetOfNo?: Int32Array;
}

export function dedupStrings(btf: Btf, recs: DedupRecords, ext: BtfExt | undefined): DedupedStrings {
  const base = btf.base;
  const split = base !== undefined;
  const baseOffsets = split ? stringOffsets(base) : undefined;
  const strBase = btf.strOffsetBase;
  // The new table: a NUL, then each new string and its NUL, in visit
  // order. For split BTF the leading NUL is cut off below (offset 0 is
  // the base's), so offsets there are one lower.
  const added: string[] = [];
  let end = 1;
  const shift = split ? 1 : 0;
  const offsetOfNo = new Int32Array(recs.strs.length).fill(-1);
  offsetOfNo[0] = 0;
  /** .BTF.ext strings that no type uses. */
  const extra = new Map<string, number>();

  const place = (s: string): number => {
    const inBase = baseOffsets?.get(s);
    if (inBase !== undefined) return inBase;
    const off = strBase + end - shift;
    added.push(s);
    end += s.length + 1;
    return off;
  };
  // Empty names are offset 0 (libbpf leaves offset 0 alone and maps any
  // other empty string to the existing "" at 0): string number 0 is ''.
  const w = recs.words;
  const strs = recs.strs;
  for (let id = recs.firstId; id < recs.count; id++) {
    const o = recs.off[id];
    const n = w[o];
    if (offsetOfNo[n] < 0) offsetOfNo[n] = place(strs[n]);
    const stride = nameStride((w[o + 1] >>> 24) & 0x7f);
    if (stride === 0) continue;
    for (let m = o + 3, e = m + stride * (w[o + 1] & 0xffffff); m < e; m += stride) {
      const k = w[m];
      if (offsetOfNo[k] < 0) offsetOfNo[k] = place(strs[k]);
    }
  }
  const offsetOf = (s: string): number | undefined => {
    const no = recs.numberOf(s);
    if (no !== undefined && offsetOfNo[no] >= 0) return offsetOfNo[no];
    return extra.get(s);
  };
  if (ext !== undefined) for (const s of extStrings(ext)) if (offsetOf(s) === undefined) extra.set(s, place(s));
  // One native encode for the whole table (Latin-1, as StringTable decodes).
  const all = Buffer.from('\0' + added.join('\0') + (added.length > 0 ? '\0' : ''), 'latin1');
  const bytes = split ? all.subarray(1) : all;
  return { table: new StringTable(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)), offsetOf, offsetOfNo };
}

/** The strings .BTF.ext refers to, in the order libbpf visits them. */
export function extStrings(ext: BtfExt): string[] {
  const out: string[] = [];
  for (const s of ext.funcInfo.sections) out.push(s.secName);
  for (const s of ext.lineInfo.sections) {
    out.push(s.secName);
    for (const r of s.records) out.push(r.fileName, r.line);
  }
  for (const s of ext.coreRelo.sections) {
    out.push(s.secName);
    for (const r of s.records) out.push(r.accessStr);
  }
  return out;
}

/**
 * The string table left as it is: libbpf skips its string pass for a BTF
 * that was built from scratch (btf__new_empty + btf__add_*), whose string
 * set is unique by construction. That is the static linker's case: its
 * table keeps every string in the order the linker added it, including
 * strings of types the dedup then drops.
 */
export function keepStrings(btf: Btf): DedupedStrings {
  const offsets = stringOffsets(btf);
  offsets.set('', 0);
  return { table: btf.strings, offsetOf: (s) => offsets.get(s) };
}

/** Every string of a (base) BTF by content, first occurrence winning, with
 * offsets in the combined space. */
function stringOffsets(btf: Btf): Map<string, number> {
  const out = btf.base !== undefined ? stringOffsets(btf.base) : new Map<string, number>();
  const bytes = btf.strings.bytes;
  const base = btf.strOffsetBase;
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    const s = decodeLatin1(bytes, start, i);
    if (!out.has(s)) out.set(s, base + start);
    start = i + 1;
  }
  return out;
}
