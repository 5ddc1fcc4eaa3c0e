import type { Btf } from '../btf.js';
import { encodeBtf } from '../encode.js';
import { parseBtf } from '../parse.js';
import type { BtfWire } from '../wire-index.js';

/** The wire view of a BTF; an edited BTF is encoded and re-read first, so
 * dumps always show exactly the bytes an encoder would write. */
export function wireOf(btf: Btf): BtfWire {
  const w = btf.wire;
  if (w !== undefined) return w;
  return parseBtf(encodeBtf(btf), { base: btf.base }).wire!;
}
