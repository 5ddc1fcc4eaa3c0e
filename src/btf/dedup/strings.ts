import { StringTable, StringTableBuilder, decodeLatin1 } from '../../internal/strings.js';
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
  /** Offset (in the combined string space) of each string. */
  offsetOf: Map<string, number>;
  /** The same by string number of the records (-1: not in the table);
   * only from dedupStrings. */
  offsetOfNo?: Int32Array;
}

export function dedupStrings(btf: Btf, recs: DedupRecords, ext: BtfExt | undefined): DedupedStrings {
  const base = btf.base;
  const split = base !== undefined;
  const baseOffsets = split ? stringOffsets(base) : undefined;
  const strBase = btf.strOffsetBase;
  // The builder always opens with a NUL; for split BTF it is cut off below,
  // so its offsets are one too high there.
  const builder = new StringTableBuilder();
  const shift = split ? 1 : 0;
  const offsetOf = new Map<string, number>([['', 0]]);
  const offsetOfNo = new Int32Array(recs.strs.length).fill(-1);
  offsetOfNo[0] = 0;

  const place = (s: string): number => {
    const inBase = baseOffsets?.get(s);
    const off = inBase ?? strBase + builder.add(s) - shift;
    offsetOf.set(s, off);
    return off;
  };
  // Empty names are offset 0 (libbpf leaves offset 0 alone and maps any
  // other empty string to the existing "" at 0): string number 0 is ''.
  const visit = (no: number): void => {
    if (offsetOfNo[no] < 0) offsetOfNo[no] = place(recs.strs[no]);
  };

  const w = recs.words;
  for (let id = recs.firstId; id < recs.count; id++) {
    const o = recs.off[id];
    visit(w[o]);
    const stride = nameStride(recs.kind(id));
    if (stride === 0) continue;
    for (let m = o + 3, end = m + stride * recs.vlen(id); m < end; m += stride) visit(w[m]);
  }
  if (ext !== undefined) for (const s of extStrings(ext)) if (!offsetOf.has(s)) place(s);
  let bytes = builder.finish();
  if (split) bytes = bytes.subarray(1);
  return { table: new StringTable(bytes), offsetOf, offsetOfNo };
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
  const offsetOf = stringOffsets(btf);
  offsetOf.set('', 0);
  return { table: btf.strings, offsetOf };
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
