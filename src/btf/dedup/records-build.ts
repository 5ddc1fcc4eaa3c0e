import { BpfkitError } from '../../internal/errors.js';
import type { Btf } from '../btf.js';
import { Kind, MAX_KNOWN_KIND } from '../kinds.js';
import { nameStride, type DedupRecords } from './records.js';
import { RecordWriter } from './records-writer.js';

/**
 * Build the dedup's records (see records.ts) for every id of `btf` and its
 * bases. A BTF still backed by its wire index is copied word by word (only
 * name offsets become string numbers); a BTF given as type objects (the
 * bench's, hand-built ones) is encoded from them. Own types are checked on
 * the way: a kind newer than this code cannot be deduplicated, and a
 * dangling id would otherwise surface as a crash deep inside a pass.
 */
export function buildRecords(btf: Btf, file: string | undefined): DedupRecords {
  const count = btf.typeCount;
  const w = new RecordWriter(count, btf.firstId, count, file);
  addLevel(w, btf, file);
  return w.records(btf.firstId);
}

/** Bases first, then this level's own types, in id order. */
function addLevel(out: RecordWriter, btf: Btf, file: string | undefined): void {
  if (btf.base !== undefined) addLevel(out, btf.base, file);
  if (btf.wire !== undefined) addWire(out, btf, file);
  else for (const t of btf) out.addType(t);
}

/** Copy the wire records of one level, names turned into string numbers
 * (through a per-offset cache: equal offsets are equal strings). Wire
 * records were checked when the BTF was read: ids exist, records fit. */
function addWire(out: RecordWriter, btf: Btf, file: string | undefined): void {
  const w = btf.wire!;
  const src = w.words;
  const offsets = w.offsets;
  const cache = new Int32Array(btf.strOffsetBase + btf.strings.size).fill(-1);
  const nameNo = (o: number): number => {
    let n = cache[o];
    if (n < 0) {
      n = out.strNo(btf.str(o));
      cache[o] = n;
    }
    return n;
  };
  for (let i = 0; i < w.count; i++) {
    const q = offsets[i] >> 2;
    const info = src[q + 1];
    const kind = (info >>> 24) & 0x7f;
    if (kind > MAX_KNOWN_KIND || kind === Kind.Unknown) {
      // A kind newer than this code (read through the layout section).
      if (out.isOwn()) throw new BpfkitError('BAD_KIND', `cannot deduplicate a type of unknown kind`, { typeId: out.id, file });
      out.addOpaque(btf.str(src[q]));
      continue;
    }
    const len = (offsets[i + 1] - offsets[i]) >> 2;
    const at = out.begin(len);
    const dst = out.words;
    // Records are a few words: a loop beats subarray + set (an object each).
    for (let j = 1; j < len; j++) dst[at + j] = src[q + j];
    dst[at] = nameNo(src[q]);
    const stride = nameStride(kind);
    if (stride !== 0) {
      const vlen = info & 0xffffff;
      for (let m = at + 3, end = m + stride * vlen; m < end; m += stride) dst[m] = nameNo(dst[m]);
    }
    out.end(len);
  }
}
