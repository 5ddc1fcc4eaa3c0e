/**
 * Strategies aimed at .BTF.ext: its header, the per-section record sizes
 * and counts, and the func_info/line_info/core_relo records themselves
 * (landmarks from marks.ext).
 */
import type { Landmarks } from '../subjects.js';
import { aimField, aimedValue, copyOf, readUint, writeUint } from './fields.js';
import type { Mutator } from './mutator.js';

function extLe(bytes: Uint8Array, at: number, marks: Landmarks): boolean {
  if (bytes[at] === 0x9f && bytes[at + 1] === 0xeb) return true;
  if (bytes[at] === 0xeb && bytes[at + 1] === 0x9f) return false;
  return marks.littleEndian;
}

export const extHeader: Mutator = {
  name: 'ext-header',
  applies: (m) => m.ext !== undefined,
  mutate(bytes, rng, marks) {
    const x = marks.ext!;
    const le = extLe(bytes, x.at, marks);
    if (rng.chance(0.1)) return aimField(bytes, rng, x.at + 2, 1, le, [1]); // version
    // hdr_len, func_info_off/len, line_info_off/len, core_relo_off/len.
    const fields = [4, 8, 12, 16, 20];
    if (x.hdrLen >= 32) fields.push(24, 28);
    return aimField(bytes, rng, x.at + rng.pick(fields), 4, le, [x.len, x.len - x.hdrLen, x.hdrLen, 24, 32]);
  },
};

export const extRecSize: Mutator = {
  name: 'ext-recsize',
  applies: (m) => m.ext !== undefined && m.ext.infos.length > 0,
  mutate(bytes, rng, marks) {
    const x = marks.ext!;
    const le = extLe(bytes, x.at, marks);
    const info = rng.pick(x.infos);
    const v = rng.chance(0.5)
      ? BigInt(rng.pick([0, 1, 4, 8, 12, 16, 20, 24, 32, info.recSize + 4, info.recSize - 4, info.recSize + 1]))
      : aimedValue(rng, BigInt(info.recSize), 4, [x.len]);
    const out = copyOf(bytes);
    writeUint(out, info.recSizeAt, 4, v, le);
    return out;
  },
};

export const extNumInfo: Mutator = {
  name: 'ext-numinfo',
  applies: (m) => m.ext !== undefined && m.ext.infos.some((i) => i.secHeaders.length > 0),
  mutate(bytes, rng, marks) {
    const x = marks.ext!;
    const le = extLe(bytes, x.at, marks);
    const info = rng.pick(x.infos.filter((i) => i.secHeaders.length > 0));
    const h = rng.pick(info.secHeaders);
    // num_info (inflated or off by one), or sec_name_off.
    if (rng.chance(0.75)) {
      const old = Number(readUint(bytes, h + 4, 4, le));
      const left = Math.floor((x.at + x.len - h - 8) / Math.max(1, info.recSize));
      const v = rng.pick([0, old + 1, old - 1, left, left + 1, 0xffffffff, 0x7fffffff, 0x10000000, 0x40000000]);
      const out = copyOf(bytes);
      writeUint(out, h + 4, 4, BigInt(v >>> 0), le);
      return out;
    }
    return aimField(bytes, rng, h, 4, le, [0xffffffff]);
  },
};

export const extRecord: Mutator = {
  name: 'ext-record',
  applies: (m) => m.ext !== undefined && m.ext.infos.some((i) => i.records.length > 0),
  mutate(bytes, rng, marks) {
    // Any word of a func_info/line_info/core_relo record: type ids, string
    // offsets (file name, line, access string), kinds.
    const x = marks.ext!;
    const le = extLe(bytes, x.at, marks);
    const info = rng.pick(x.infos.filter((i) => i.records.length > 0));
    const p = rng.pick(info.records);
    const at = p + 4 * rng.below(Math.max(1, Math.floor(info.recSize / 4)));
    return aimField(bytes, rng, at, 4, le, [0xffffffff, 0x80000000, 0x10000]);
  },
};
