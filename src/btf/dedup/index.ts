import type { Btf } from '../btf.js';

/**
 * BTF deduplication (libbpf's btf__dedup): the contract the static linker
 * builds on. TEMPORARY: this file only fixes the interface while the
 * algorithm is being written; it returns its input unchanged.
 */
export interface DedupOptions {
  /** Name of the input, for error messages. */
  file?: string;
}

export interface DedupResult {
  /** The deduplicated BTF (a new Btf; the input is not modified). For a
   * split BTF the base is kept and only own types are deduplicated. */
  btf: Btf;
  /** Old type id -> new type id, indexed by old id (length = old
   * typeCount; 0 maps to 0; base ids map to themselves). */
  typeMap: Uint32Array;
}

export function dedupBtf(btf: Btf, _opts: DedupOptions = {}): DedupResult {
  const typeMap = new Uint32Array(btf.typeCount);
  for (let i = 0; i < typeMap.length; i++) typeMap[i] = i;
  return { btf, typeMap };
}
