import { BpfkitError } from '../../internal/errors.js';
import { Btf } from '../btf.js';
import type { BtfExt } from '../ext/types.js';
import type { BtfType } from '../types.js';
import { outputTypes, type NameOffset } from './output.js';
import { decodeRecord } from './records-dedup.js';
import { runTypePasses, withDedupErrors } from './passes.js';
import { buildRecords } from './records-build.js';
import { dedupStrings, keepStrings } from './strings.js';

/**
 * BTF deduplication as libbpf 1.1's btf__dedup does it (the version behind
 * Debian's bpftool 7.1), so that a linked object's .BTF matches
 * `bpftool gen object` byte for byte: strings, then primitive types, then
 * structs/unions (graph equivalence), then reference types, then
 * compaction and remapping. FWDs are resolved only where the struct
 * equivalence walk pairs them with a struct (libbpf 1.1 has no separate
 * forward-resolution pass), and an enum forward declaration only merges
 * with an enum of the same size. The walk accepts a unit's exact duplicate
 * arrays, structs (nested by value) and pointers (same target id), as the
 * Debian 6.1 build of libbpf 1.1 does with its stable backports.
 */
export interface DedupOptions {
  /** Name of the input, for error messages. */
  file?: string;
  /**
   * 'dedup' (default): rebuild the string table as libbpf does for a BTF
   * read from bytes (every string reference in id order, then `ext`'s).
   * 'keep': keep the table and its order, as libbpf does for a BTF built
   * from scratch (btf__new_empty), which is the static linker's case; the
   * table must then hold each string once and every name used.
   */
  strings?: 'dedup' | 'keep';
  /** The .BTF.ext that goes with this BTF: with strings 'dedup' its strings
   * are added to the table after the types' (libbpf visits them too). */
  ext?: BtfExt;
  /**
   * Bound on the work of all equivalence walks and candidate scans together
   * (libbpf has none). Checking every same-shape candidate is quadratic, so
   * hostile BTF could otherwise run for hours; past the bound dedup throws
   * TOO_LARGE. Default 100M + 500 per type: kernel BTF needs about 4M
   * walk steps (8M when doubled).
   */
  maxWalkSteps?: number;
}

export interface DedupResult {
  /** The deduplicated BTF (a new Btf; the input is not modified). For a
   * split BTF the base is kept and only own types are deduplicated. */
  btf: Btf;
  /** Old type id -> new type id, indexed by old id (length = old
   * typeCount; 0 maps to 0). Base ids map to themselves, except a base FWD
   * that the dedup resolved to an own struct (libbpf then points every
   * reference to it, in types and .BTF.ext, at that struct). */
  typeMap: Uint32Array;
  /** Offset of a string in the new string table (combined space), for
   * remapping .BTF.ext string references; undefined if absent. */
  stringOffset(s: string): number | undefined;
}

export function dedupBtf(btf: Btf, opts: DedupOptions = {}): DedupResult {
  return withDedupErrors(opts.file, () => run(btf, opts));
}

function run(btf: Btf, opts: DedupOptions): DedupResult {
  const recs = buildRecords(btf, opts.file);
  const keep = opts.strings === 'keep';
  const strings = keep ? keepStrings(btf) : dedupStrings(btf, recs, opts.ext);
  const { kept, typeMap } = runTypePasses(recs, opts.file, opts.maxWalkSteps);

  const byNo = strings.offsetOfNo;
  let types: BtfType[];
  if (byNo !== undefined && btf.wire !== undefined) {
    // Read from bytes: the records say all a type's decoding would, so the
    // kept types are built from them (one object each, not decode + copy).
    types = new Array(kept.length);
    const nameOff = (no: number): number => byNo[no];
    for (let i = 0; i < kept.length; i++) types[i] = decodeRecord(recs, kept[i], recs.firstId + i, typeMap, nameOff);
  } else {
    const nameOff: NameOffset =
      byNo !== undefined
        ? (no) => byNo[no]
        : (_no, s, was) => {
            // Kept tables keep every offset that still names the same string,
            // as libbpf leaves name_off alone when it skips the string pass.
            if (strAt(btf, was) === s) return was;
            const o = strings.offsetOf(s);
            if (o === undefined) throw new BpfkitError('BAD_VALUE', `name '${s}' is not in the kept string table`, { file: opts.file });
            return o;
          };
    types = outputTypes(btf, recs, kept, typeMap, nameOff);
  }
  const out = new Btf({ types, strings: strings.table, base: btf.base, littleEndian: btf.littleEndian });
  return { btf: out, typeMap, stringOffset: (s) => strings.offsetOf(s) };
}

/** The string at a combined-space offset, or undefined when there is none. */
function strAt(btf: Btf, off: number): string | undefined {
  try {
    return btf.str(off);
  } catch {
    return undefined;
  }
}
