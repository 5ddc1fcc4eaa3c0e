/**
 * Strategies that rebuild a standalone raw BTF blob as a whole (a new
 * header with a layout section, gzip compression) rather than editing
 * fields in place: separate because they only apply to raw .btf subjects.
 */
import { gzipSync } from 'node:zlib';
import { btfLe } from './btf.js';
import { copyOf, readUint, writeUint } from './fields.js';
import type { Mutator } from './mutator.js';

/** Record sizes (after the 12-byte header) of kinds 0..19, for layouts. */
const KNOWN_SIZES: readonly [number, number][] = [
  [0, 0], [4, 0], [0, 0], [12, 0], [0, 12], [0, 12], [0, 8], [0, 0], [0, 0], [0, 0],
  [0, 0], [0, 0], [0, 0], [0, 8], [4, 0], [0, 12], [0, 0], [4, 0], [0, 0], [0, 12],
];

export const btfLayout: Mutator = {
  name: 'btf-layout',
  applies: (m) => m.btf !== undefined && m.btf.standalone,
  mutate(bytes, rng, marks) {
    // Rebuild a raw BTF with a 32-byte header and a layout section that
    // describes kinds past the known 19, then give some records such a
    // kind: this is the only way into the opaque-kind code paths.
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    if (b.typeStart + b.typeLen > bytes.byteLength || b.strStart + b.strLen > bytes.byteLength) return copyOf(bytes);
    const types = bytes.slice(b.typeStart, b.typeStart + b.typeLen);
    const strs = bytes.subarray(b.strStart, b.strStart + b.strLen);
    const nk = rng.range(20, 40);
    const layout: [number, number, number][] = [];
    for (let k = 0; k < nk; k++) {
      if (k < KNOWN_SIZES.length && rng.chance(0.9)) layout.push([...KNOWN_SIZES[k], 0]);
      else layout.push([rng.pick([0, 4, 8, 12, rng.below(256)]), rng.pick([0, 4, 8, 12, rng.below(256)]), rng.below(0x10000)]);
    }
    // Re-kind a few records to a new kind whose layout entry matches the
    // record's actual size, so the BTF stays parseable.
    const relabel = rng.range(0, 3);
    for (let j = 0; j < relabel && b.records.length > 0; j++) {
      const p = rng.pick(b.records) - b.typeStart;
      const info = Number(readUint(types, p + 4, 4, le));
      const oldKind = (info >>> 24) & 0x7f;
      const newKind = rng.range(20, nk - 1);
      if (oldKind < KNOWN_SIZES.length) layout[newKind] = [KNOWN_SIZES[oldKind][0], KNOWN_SIZES[oldKind][1], 0];
      writeUint(types, p + 4, 4, BigInt(((info & 0x80ffffff) | (newKind << 24)) >>> 0), le);
    }
    const layoutOff = (types.byteLength + strs.byteLength + 3) & ~3;
    const out = new Uint8Array(32 + layoutOff + nk * 4);
    writeUint(out, 0, 2, 0xeb9fn, le);
    out[2] = 1;
    writeUint(out, 4, 4, 32n, le);
    writeUint(out, 8, 4, 0n, le);
    writeUint(out, 12, 4, BigInt(types.byteLength), le);
    writeUint(out, 16, 4, BigInt(types.byteLength), le);
    writeUint(out, 20, 4, BigInt(strs.byteLength), le);
    writeUint(out, 24, 4, BigInt(layoutOff), le);
    // Now and then a layout length that is not a whole number of entries
    // or runs past the end.
    const layoutLen = rng.chance(0.9) ? nk * 4 : rng.pick([nk * 4 - 1, nk * 4 + 2, nk * 4 + 4, 0xfffffffc]);
    writeUint(out, 28, 4, BigInt(layoutLen), le);
    out.set(types, 32);
    out.set(strs, 32 + types.byteLength);
    for (let k = 0; k < nk; k++) {
      const at = 32 + layoutOff + k * 4;
      out[at] = layout[k][0] & 0xff;
      out[at + 1] = layout[k][1] & 0xff;
      writeUint(out, at + 2, 2, BigInt(layout[k][2]), le);
    }
    return out;
  },
};

/** Name of the compressing strategy; planCase applies it last. */
export const GZIP = 'btf-gzip';

export const btfGzip: Mutator = {
  name: GZIP,
  applies: (m) => m.btf !== undefined && m.btf.standalone,
  mutate(bytes, rng) {
    // btfFromBytes accepts gzip-compressed raw BTF: send the (otherwise
    // mutated) blob down that route.
    return new Uint8Array(gzipSync(bytes, { level: rng.chance(0.5) ? 1 : 6 }));
  },
};
