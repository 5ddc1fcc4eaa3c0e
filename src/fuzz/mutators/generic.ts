/**
 * Strategies that know no format: bit flips, boundary values, truncation,
 * extension, splices and insertions/deletions. They apply to every input;
 * hotRegion only steers them towards the structures the landmarks found.
 */
import type { Rng } from '../rng.js';
import type { Landmarks } from '../subjects.js';
import { copyOf, writeUint } from './fields.js';
import type { Mutator, Width } from './mutator.js';

/** A region worth concentrating byte-level damage on: the ELF header and
 * section header table, the BTF, the .BTF.ext. */
function hotRegion(rng: Rng, marks: Landmarks, len: number): [number, number] {
  const regions: [number, number][] = [];
  if (marks.elf !== undefined) {
    regions.push([0, 64]);
    regions.push([marks.elf.shoff, marks.elf.headers.length * 64]);
  }
  if (marks.btf !== undefined) regions.push([marks.btf.at, marks.btf.len]);
  if (marks.ext !== undefined) regions.push([marks.ext.at, marks.ext.len]);
  const fits = regions.filter(([a, n]) => n > 0 && a + n <= len);
  if (fits.length === 0 || rng.chance(0.4)) return [0, len];
  return rng.pick(fits);
}

export const bitflip: Mutator = {
  name: 'bitflip',
  applies: () => true,
  mutate(bytes, rng, marks) {
    const out = copyOf(bytes);
    if (out.byteLength === 0) return out;
    const [start, n] = hotRegion(rng, marks, out.byteLength);
    const flips = rng.range(1, 8);
    for (let i = 0; i < flips; i++) out[start + rng.below(n)] ^= 1 << rng.below(8);
    return out;
  },
};

const INTERESTING: Record<Width, readonly bigint[]> = {
  1: [0n, 0xffn, 0x7fn, 0x80n, 1n],
  2: [0n, 0xffffn, 0x7fffn, 0x8000n, 1n],
  4: [0n, 0xffffffffn, 0x7fffffffn, 0x80000000n, 0x10000000n, 1n],
  8: [0n, 0xffffffffffffffffn, 0x7fffffffffffffffn, 0xffffffffn, 0x100000000n],
};

export const interesting: Mutator = {
  name: 'interesting',
  applies: () => true,
  mutate(bytes, rng, marks) {
    const out = copyOf(bytes);
    const width = rng.pick<Width>([1, 2, 4, 4, 8]);
    if (out.byteLength < width) return out;
    const [start, n] = hotRegion(rng, marks, out.byteLength);
    // Aligned like the fields it means to hit.
    const slots = Math.floor(n / width);
    if (slots === 0) return out;
    const at = start + rng.below(slots) * width;
    const le = rng.chance(0.9) ? marks.littleEndian : !marks.littleEndian;
    writeUint(out, at, width, rng.pick(INTERESTING[width]), le);
    return out;
  },
};

export const truncate: Mutator = {
  name: 'truncate',
  applies: () => true,
  mutate(bytes, rng, marks) {
    if (bytes.byteLength === 0) return copyOf(bytes);
    // Cutting inside a structure is more telling than cutting anywhere.
    const [start, n] = hotRegion(rng, marks, bytes.byteLength);
    const cut = rng.chance(0.1) ? bytes.byteLength - rng.range(1, 8) : start + rng.below(n);
    return bytes.slice(0, Math.max(0, cut));
  },
};

export const extend: Mutator = {
  name: 'extend',
  applies: () => true,
  mutate(bytes, rng) {
    const extra = new Uint8Array(rng.pick([1, 3, 4, 8, 64, rng.range(1, 4096)]));
    const fill = rng.below(3);
    if (fill === 1) rng.fill(extra);
    else if (fill === 2) extra.fill(0xff);
    const out = new Uint8Array(bytes.byteLength + extra.byteLength);
    out.set(bytes);
    out.set(extra, bytes.byteLength);
    return out;
  },
};

export const splice: Mutator = {
  name: 'splice',
  applies: () => true,
  mutate(bytes, rng) {
    // Copy a chunk of the input over another place: duplicated headers and
    // records with plausible values but the wrong meaning.
    const out = copyOf(bytes);
    const len = out.byteLength;
    if (len < 8) return out;
    const n = Math.min(len, rng.pick([4, 8, 12, 16, 24, 64, rng.range(1, 256)]));
    const from = rng.below(len - n + 1);
    const to = rng.below(len - n + 1);
    out.copyWithin(to, from, from + n);
    return out;
  },
};

export const insertDelete: Mutator = {
  name: 'insert-delete',
  applies: () => true,
  mutate(bytes, rng, marks) {
    // Shifts every offset after the edit point: tables stop lining up.
    const [start, n] = hotRegion(rng, marks, bytes.byteLength);
    const at = start + rng.below(n + 1);
    const k = rng.pick([1, 2, 4, 8, 12, 16]);
    if (rng.chance(0.5) && at + k <= bytes.byteLength) {
      const out = new Uint8Array(bytes.byteLength - k);
      out.set(bytes.subarray(0, at));
      out.set(bytes.subarray(at + k), at);
      return out;
    }
    const out = new Uint8Array(bytes.byteLength + k);
    out.set(bytes.subarray(0, at));
    rng.fill(out.subarray(at, at + k));
    out.set(bytes.subarray(at), at + k);
    return out;
  },
};
