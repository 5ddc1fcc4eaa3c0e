/**
 * Mutation strategies. Each is a pure function of (input bytes, rng,
 * landmarks): it never writes to its input and returns new bytes.
 *
 * Random bit flips alone rarely get past the first magic/size checks, so
 * most strategies aim at the fields that parsers must not trust: counts,
 * offsets, lengths, kinds and ids, using the landmarks computed from the
 * unmutated input (see subjects.ts), and set them to values chosen to sit
 * on boundaries (off by one, the input's length) or to overflow (all ones,
 * sign bit, 2^28).
 */
import { gzipSync } from 'node:zlib';
import type { Rng } from './rng.js';
import type { BtfMarks, Landmarks } from './subjects.js';

export interface Mutator {
  readonly name: string;
  /** Whether the input has the structures this strategy aims at. */
  applies(marks: Landmarks): boolean;
  mutate(bytes: Uint8Array, rng: Rng, marks: Landmarks): Uint8Array;
}

type Width = 1 | 2 | 4 | 8;

// ---------------------------------------------------------------- helpers

export function readUint(bytes: Uint8Array, at: number, width: Width, le: boolean): bigint {
  if (at < 0 || at + width > bytes.byteLength) return 0n;
  let v = 0n;
  for (let i = 0; i < width; i++) {
    const b = BigInt(bytes[le ? at + width - 1 - i : at + i]);
    v = (v << 8n) | b;
  }
  return v;
}

/** Write the low `width` bytes of `value`; writes outside the input are
 * dropped (a stacked mutation may aim at a landmark a truncation removed). */
export function writeUint(bytes: Uint8Array, at: number, width: Width, value: bigint, le: boolean): void {
  if (at < 0 || at + width > bytes.byteLength) return;
  let v = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) {
    bytes[le ? at + i : at + width - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

const SMALL = [0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 32, 64, 255];
const DELTAS = [1, -1, 2, -2, 4, -4, 8, -8, 12, -12, 16, -16];

/**
 * A replacement for a field of `width` bytes holding `old`. `hints` are
 * numbers the parser compares the field against (the input's length, a
 * table's size, the number of types): hitting them and their neighbours
 * exercises the boundary checks.
 */
export function aimedValue(rng: Rng, old: bigint, width: Width, hints: readonly number[] = []): bigint {
  const bits = BigInt(width * 8);
  const mask = (1n << bits) - 1n;
  let v: bigint;
  switch (rng.below(hints.length > 0 ? 6 : 5)) {
    case 0: {
      // Inflated: values that overflow a multiplication or an addition.
      const huge = [mask, mask >> 1n, 1n << (bits - 1n), mask - 15n];
      if (width >= 4) huge.push(0x10000000n, 0xffffffn, 0x10000n, 0x7fffffffn, 0xffffffffn, 0x80000000n);
      v = rng.pick(huge);
      break;
    }
    case 1:
      v = old + BigInt(rng.pick(DELTAS));
      break;
    case 2:
      v = BigInt(rng.pick(SMALL));
      break;
    case 3:
      v = old * 2n + (rng.chance(0.5) ? 1n : 0n);
      break;
    case 4:
      // Random, but mostly within 32 bits: an offset past 2^32 is rejected
      // as "beyond any input" before it can reach anything interesting.
      v = BigInt(rng.u32());
      if (width === 8 && rng.chance(0.25)) v |= BigInt(rng.u32()) << 32n;
      break;
    default:
      v = BigInt(rng.pick(hints)) + BigInt(rng.pick([0, 0, 1, -1, 4, -4]));
      break;
  }
  return v & mask;
}

function copyOf(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

/** Replace the field at `at` with an aimed value; returns the new bytes. */
function aimField(bytes: Uint8Array, rng: Rng, at: number, width: Width, le: boolean, hints: readonly number[]): Uint8Array {
  const out = copyOf(bytes);
  writeUint(out, at, width, aimedValue(rng, readUint(bytes, at, width, le), width, hints), le);
  return out;
}

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

// ---------------------------------------------------------------- generic

const bitflip: Mutator = {
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

const interesting: Mutator = {
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

const truncate: Mutator = {
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

const extend: Mutator = {
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

const splice: Mutator = {
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

const insertDelete: Mutator = {
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

// ---------------------------------------------------------------- ELF

/** [offset, width] of the ELF64 header fields after e_ident. */
const EHDR_FIELDS: readonly [number, Width][] = [
  [16, 2], // e_type
  [18, 2], // e_machine
  [20, 4], // e_version
  [24, 8], // e_entry
  [32, 8], // e_phoff
  [40, 8], // e_shoff
  [48, 4], // e_flags
  [52, 2], // e_ehsize
  [54, 2], // e_phentsize
  [56, 2], // e_phnum
  [58, 2], // e_shentsize
  [60, 2], // e_shnum
  [62, 2], // e_shstrndx
];

const elfHeader: Mutator = {
  name: 'elf-header',
  applies: (m) => m.elf !== undefined,
  mutate(bytes, rng, marks) {
    const elf = marks.elf!;
    const le = marks.littleEndian;
    const count = elf.headers.length;
    const r = rng.below(8);
    if (r === 0) {
      // Identification bytes: class, data encoding (which flips the byte
      // order of everything after it), version.
      const out = copyOf(bytes);
      const at = rng.pick([4, 5, 6]);
      out[at] = rng.pick([0, 1, 2, 3, 0xff]);
      return out;
    }
    if (r === 1) {
      // The escape values that move a count or index into section 0.
      const out = copyOf(bytes);
      const [at, v] = rng.pick<[number, bigint]>([
        [60, 0n], // e_shnum 0: count in section 0's sh_size
        [62, 0xffffn], // e_shstrndx SHN_XINDEX: index in section 0's sh_link
        [56, 0xffffn], // e_phnum PN_XNUM: count in section 0's sh_info
      ]);
      writeUint(out, at, 2, v, le);
      if (v === 0xffffn && at === 56) writeUint(out, 54, 2, 56n, le);
      return out;
    }
    if (r === 2) {
      // A program header table. Relocatable objects have none, and a lone
      // e_phnum fails on e_phentsize first, so set both (and aim e_phoff).
      const out = copyOf(bytes);
      writeUint(out, 54, 2, 56n, le);
      writeUint(out, 56, 2, BigInt(rng.pick([1, 2, 3, 0xfffe, Math.floor(bytes.byteLength / 56), Math.floor(bytes.byteLength / 56) + 1])), le);
      writeUint(out, 32, 8, BigInt(rng.pick([64, 0, bytes.byteLength, bytes.byteLength - 56, bytes.byteLength - 55, rng.below(bytes.byteLength)])), le);
      return out;
    }
    const [at, width] = rng.pick(EHDR_FIELDS);
    return aimField(bytes, rng, at, width, le, [bytes.byteLength, count, elf.shoff, 64]);
  },
};

/** [offset, width] of the ELF64 section header fields. */
const SHDR_FIELDS: readonly [number, Width][] = [
  [0, 4], // sh_name
  [4, 4], // sh_type
  [8, 8], // sh_flags
  [24, 8], // sh_offset
  [32, 8], // sh_size
  [40, 4], // sh_link
  [44, 4], // sh_info
  [48, 8], // sh_addralign
  [56, 8], // sh_entsize
];

// NULL, PROGBITS, SYMTAB, STRTAB, RELA, NOBITS, REL, DYNSYM, SYMTAB_SHNDX,
// GROUP, LLVM_ADDRSIG, and one nobody knows.
const SECTION_TYPES = [0, 1, 2, 3, 4, 8, 9, 11, 18, 17, 0x6fff4c03, 0x12345678];

const elfSectionHeader: Mutator = {
  name: 'elf-shdr',
  applies: (m) => m.elf !== undefined && m.elf.headers.length > 0,
  mutate(bytes, rng, marks) {
    const elf = marks.elf!;
    const le = marks.littleEndian;
    const i = rng.below(elf.headers.length);
    const hdr = elf.headers[i];
    const [off, width] = rng.pick(SHDR_FIELDS);
    const count = elf.headers.length;
    if (off === 4 && rng.chance(0.6)) {
      // Swapped kind: the section's bytes read as another table.
      const out = copyOf(bytes);
      writeUint(out, hdr + 4, 4, BigInt(rng.pick(SECTION_TYPES)), le);
      return out;
    }
    const s = elf.sections[i];
    const hints =
      off === 40 || off === 44
        ? [count, 0, i, rng.below(Math.max(1, count))]
        : [bytes.byteLength, s.size, s.offset, s.offset + s.size, 24, 16];
    return aimField(bytes, rng, hdr + off, width, le, hints);
  },
};

const elfSwapSections: Mutator = {
  name: 'elf-swap-shdr',
  applies: (m) => m.elf !== undefined && m.elf.headers.length > 1,
  mutate(bytes, rng, marks) {
    // Exchange or duplicate two whole section headers: every field stays
    // plausible, the cross-references (sh_link, sh_info, names) do not.
    const hs = marks.elf!.headers;
    const a = hs[rng.below(hs.length)];
    const b = hs[rng.below(hs.length)];
    const out = copyOf(bytes);
    if (a + 64 > out.byteLength || b + 64 > out.byteLength) return out;
    const tmp = out.slice(a, a + 64);
    out.copyWithin(a, b, b + 64);
    if (rng.chance(0.7)) out.set(tmp, b);
    return out;
  },
};

const elfExtendedIndex: Mutator = {
  name: 'elf-xindex',
  applies: (m) => m.elf !== undefined && m.elf.symbols.length > 0 && m.elf.sections.some((s) => s.type === 2),
  mutate(bytes, rng, marks) {
    // Extended section indexes: turn some section into the SYMTAB_SHNDX
    // companion of the symbol table and send symbols to it with SHN_XINDEX.
    // No corpus object has one, so this is the way into that code.
    const elf = marks.elf!;
    const le = marks.littleEndian;
    const out = copyOf(bytes);
    const symtab = elf.sections.findIndex((s) => s.type === 2);
    const victim = rng.range(1, Math.max(1, elf.headers.length - 1));
    if (victim !== symtab && victim < elf.headers.length && rng.chance(0.8)) {
      const h = elf.headers[victim];
      writeUint(out, h + 4, 4, 18n, le); // sh_type SYMTAB_SHNDX
      writeUint(out, h + 40, 4, BigInt(rng.chance(0.8) ? symtab : rng.below(elf.headers.length + 2)), le); // sh_link
      if (rng.chance(0.3)) writeUint(out, h + 32, 8, BigInt(rng.pick([0, 1, 4, 6, elf.sections[victim].size - 1])), le);
    }
    const n = rng.range(1, 4);
    for (let i = 0; i < n; i++) writeUint(out, rng.pick(elf.symbols) + 6, 2, 0xffffn, le);
    return out;
  },
};

const elfStrtab: Mutator = {
  name: 'elf-strtab',
  applies: (m) => m.elf !== undefined && m.elf.sections.some((s) => s.type === 3 && s.size > 0),
  mutate(bytes, rng, marks) {
    // Section and symbol names are read up to a NUL: take NULs away (the
    // last one, or a run) so that a name runs off the end of its table.
    const tables = marks.elf!.sections.filter((s) => s.type === 3 && s.size > 0);
    const t = rng.pick(tables);
    const out = copyOf(bytes);
    if (t.offset + t.size > out.byteLength) return out;
    if (rng.chance(0.5)) {
      out[t.offset + t.size - 1] = 0x41;
    } else {
      const a = t.offset + rng.below(t.size);
      out.fill(0x41, a, Math.min(t.offset + t.size, a + rng.range(1, 32)));
    }
    return out;
  },
};

const elfSymbol: Mutator = {
  name: 'elf-symbol',
  applies: (m) => m.elf !== undefined && m.elf.symbols.length > 0,
  mutate(bytes, rng, marks) {
    const elf = marks.elf!;
    const le = marks.littleEndian;
    const at = rng.pick(elf.symbols);
    const [off, width] = rng.pick<[number, Width]>([
      [0, 4], // st_name
      [4, 1], // st_info
      [5, 1], // st_other
      [6, 2], // st_shndx
      [8, 8], // st_value
      [16, 8], // st_size
    ]);
    if (off === 6 && rng.chance(0.5)) {
      // SHN_XINDEX sends the reader to a SYMTAB_SHNDX table that may not exist.
      const out = copyOf(bytes);
      writeUint(out, at + 6, 2, BigInt(rng.pick([0xffff, 0xfff1, 0xfff2, 0xff00, elf.headers.length])), le);
      return out;
    }
    return aimField(bytes, rng, at + off, width, le, [elf.headers.length, bytes.byteLength]);
  },
};

const elfRelocation: Mutator = {
  name: 'elf-reloc',
  applies: (m) => m.elf !== undefined && m.elf.relocations.length > 0,
  mutate(bytes, rng, marks) {
    const elf = marks.elf!;
    const at = rng.pick(elf.relocations);
    // r_offset, or r_info's symbol index (the high half) / type (low half).
    const [off, width] = rng.pick<[number, Width]>([
      [0, 8],
      [8, 8],
      [marks.littleEndian ? 12 : 8, 4],
      [marks.littleEndian ? 8 : 12, 4],
    ]);
    return aimField(bytes, rng, at + off, width, marks.littleEndian, [elf.symbols.length, bytes.byteLength]);
  },
};

// ---------------------------------------------------------------- BTF

/** The byte order of BTF is its own (from the magic), which for a mutated
 * ELF with a flipped EI_DATA differs from the ELF's. Corpus objects agree. */
function btfLe(bytes: Uint8Array, b: BtfMarks, marks: Landmarks): boolean {
  if (bytes[b.at] === 0x9f && bytes[b.at + 1] === 0xeb) return true;
  if (bytes[b.at] === 0xeb && bytes[b.at + 1] === 0x9f) return false;
  return marks.littleEndian;
}

const btfHeader: Mutator = {
  name: 'btf-header',
  applies: (m) => m.btf !== undefined,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const r = rng.below(10);
    if (r === 0) {
      const out = copyOf(bytes);
      // Magic in the other byte order: the whole blob reads byte-swapped.
      writeUint(out, b.at, 2, 0xeb9fn, !le);
      return out;
    }
    if (r === 1) return aimField(bytes, rng, b.at + 2, 1, le, [1, 2]); // version
    if (r === 2) return aimField(bytes, rng, b.at + 3, 1, le, []); // flags
    // hdr_len, type_off, type_len, str_off, str_len (and the layout pair
    // when the header has one).
    const fields = [4, 8, 12, 16, 20];
    if (b.hdrLen >= 32) fields.push(24, 28);
    const at = b.at + rng.pick(fields);
    return aimField(bytes, rng, at, 4, le, [b.len, b.len - b.hdrLen, b.typeLen, b.strLen, b.hdrLen, b.typeLen + b.strLen, 24, 32]);
  },
};

function pickRecord(rng: Rng, b: BtfMarks): number | undefined {
  return b.records.length === 0 ? undefined : rng.pick(b.records);
}

/** Record bytes available from record start `p` to the end of the type section. */
function recordEnd(b: BtfMarks, p: number): number {
  const i = b.records.indexOf(p);
  return i >= 0 && i + 1 < b.records.length ? b.records[i + 1] : b.typeStart + b.typeLen;
}

const btfKind: Mutator = {
  name: 'btf-kind',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    // Swapped kind: the record is read with another kind's layout.
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    const info = Number(readUint(bytes, p + 4, 4, le));
    const kind = rng.chance(0.9) ? rng.below(32) : rng.below(128);
    const out = copyOf(bytes);
    writeUint(out, p + 4, 4, BigInt(((info & 0x80ffffff) | (kind << 24)) >>> 0), le);
    return out;
  },
};

const btfVlen: Mutator = {
  name: 'btf-vlen',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    const info = Number(readUint(bytes, p + 4, 4, le));
    const old = info & 0xffffff;
    const left = b.typeStart + b.typeLen - p - 12;
    const vlen = rng.pick([
      0xffffff,
      0x7fffff,
      0x10000,
      0xffff,
      old + 1,
      Math.max(0, old - 1),
      0,
      Math.floor(left / 12),
      Math.floor(left / 8),
      Math.floor(left / 8) + 1,
      Math.floor(left / 12) + 1,
    ]);
    const out = copyOf(bytes);
    writeUint(out, p + 4, 4, BigInt(((info & 0xff000000) | (vlen & 0xffffff)) >>> 0), le);
    return out;
  },
};

const btfKflag: Mutator = {
  name: 'btf-kflag',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    const out = copyOf(bytes);
    // Bit 31 of info; also bits 24-30's unused high end for older 5-bit readers.
    const bit = rng.chance(0.8) ? 31 : rng.range(29, 30);
    writeUint(out, p + 4, 4, readUint(bytes, p + 4, 4, le) ^ (1n << BigInt(bit)), le);
    return out;
  },
};

function nameHints(b: BtfMarks): number[] {
  return [b.strSpace, b.strSpace - 1, b.strSpace + 1, b.strSpace - b.strLen, 0xffffffff, 0x80000000];
}

const btfName: Mutator = {
  name: 'btf-name',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    // The type's own name_off, or a word in its vlen records (member,
    // enumerator and parameter names sit at their start).
    const end = recordEnd(b, p);
    const stride = rng.pick([8, 12]);
    const slots = Math.floor((end - p - 12) / stride);
    const at = slots > 0 && rng.chance(0.5) ? p + 12 + rng.below(slots) * stride : p;
    const out = copyOf(bytes);
    const v = rng.chance(0.3) ? rng.below(Math.max(1, b.strSpace)) : rng.pick(nameHints(b));
    writeUint(out, at, 4, BigInt(v >>> 0), le);
    return out;
  },
};

const btfTypeRef: Mutator = {
  name: 'btf-typeref',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 0,
  mutate(bytes, rng, marks) {
    // A word that holds a type id (or a size, or a count, depending on the
    // kind): size_or_type, or any word of the record's payload (member and
    // parameter types, array element/index types and nelems, datasec
    // entries, enum values, decl_tag component_idx).
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const p = pickRecord(rng, b)!;
    const end = recordEnd(b, p);
    const words = Math.floor((end - p - 8) / 4);
    const at = words > 1 && rng.chance(0.6) ? p + 12 + rng.below(words - 1) * 4 : p + 8;
    const self = b.records.indexOf(p) + (b.typeCount - b.records.length);
    return aimField(bytes, rng, at, 4, le, [b.typeCount, b.typeCount - 1, b.typeCount + 1, self, self + 1, 0]);
  },
};

const btfRefChain: Mutator = {
  name: 'btf-refchain',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 1,
  mutate(bytes, rng, marks) {
    // Rewire the member types of a run of structs and unions so that each
    // refers to the next: a deep chain with fan-out (every member of one
    // level is the next level), ending in a loop back or in a leaf. Any
    // code that follows type references recursively without a memo or a
    // visited set meets vlen^depth paths here; single-word mutations
    // almost never build that shape.
    const b = marks.btf!;
    const le = btfLe(bytes, b, marks);
    const firstId = b.typeCount - b.records.length;
    const composites: { p: number; id: number; vlen: number }[] = [];
    b.records.forEach((p, i) => {
      const info = Number(readUint(bytes, p + 4, 4, le));
      const kind = (info >>> 24) & 0x7f;
      const vlen = info & 0xffffff;
      // An earlier mutation may have left any vlen here: rewire only the
      // members that lie inside the type section.
      const room = Math.max(0, Math.floor((b.typeStart + b.typeLen - p - 12) / 12));
      if ((kind === 4 || kind === 5) && vlen > 0) composites.push({ p, id: firstId + i, vlen: Math.min(vlen, room) });
    });
    const out = copyOf(bytes);
    if (composites.length === 0) return out;
    const start = rng.below(composites.length);
    const chain = composites.slice(start, start + rng.range(2, 48));
    for (let i = 0; i < chain.length; i++) {
      const c = chain[i];
      const last = i === chain.length - 1;
      const to = !last ? chain[i + 1].id : rng.pick([c.id, chain[0].id, 0, rng.below(b.typeCount)]);
      for (let j = 0; j < c.vlen; j++) writeUint(out, c.p + 12 + j * 12 + 4, 4, BigInt(to), le);
    }
    return out;
  },
};

const btfStrings: Mutator = {
  name: 'btf-strings',
  applies: (m) => m.btf !== undefined && m.btf.strLen > 0,
  mutate(bytes, rng, marks) {
    const b = marks.btf!;
    const out = copyOf(bytes);
    const s = b.strStart;
    const n = b.strLen;
    if (s + n > out.byteLength) return out;
    switch (rng.below(4)) {
      case 0:
        out[s + n - 1] = 0x41; // no final NUL
        break;
      case 1:
        out[s] = 0x41; // no leading empty string
        break;
      case 2: {
        // Remove a run of terminators: strings run into each other.
        const a = s + rng.below(n);
        out.fill(0x41, a, Math.min(s + n, a + rng.range(1, 64)));
        break;
      }
      default:
        out[s + rng.below(n)] = rng.chance(0.5) ? 0 : 0xff;
        break;
    }
    return out;
  },
};

const btfShift: Mutator = {
  name: 'btf-shift',
  applies: (m) => m.btf !== undefined && m.btf.typeLen > 16,
  mutate(bytes, rng, marks) {
    // Move part of the type section by a few bytes without changing its
    // length, so records straddle their neighbours.
    const b = marks.btf!;
    const out = copyOf(bytes);
    const s = b.typeStart;
    const e = Math.min(s + b.typeLen, out.byteLength);
    if (e - s < 16) return out;
    const p = s + rng.below(e - s - 12);
    const k = rng.pick([1, 2, 4, 8, 12]);
    if (rng.chance(0.5)) out.copyWithin(p, p + k, e);
    else out.copyWithin(p + k, p, e - k);
    return out;
  },
};

const btfCopyRecord: Mutator = {
  name: 'btf-copy-record',
  applies: (m) => m.btf !== undefined && m.btf.records.length > 1,
  mutate(bytes, rng, marks) {
    // One record's bytes over another's start: a valid record in the
    // wrong place, whose size no longer matches the gap it fills.
    const b = marks.btf!;
    const out = copyOf(bytes);
    const from = rng.pick(b.records);
    const to = rng.pick(b.records);
    const n = Math.min(recordEnd(b, from) - from, b.typeStart + b.typeLen - to);
    if (n > 0 && from + n <= out.byteLength && to + n <= out.byteLength) out.copyWithin(to, from, from + n);
    return out;
  },
};

/** Record sizes (after the 12-byte header) of kinds 0..19, for layouts. */
const KNOWN_SIZES: readonly [number, number][] = [
  [0, 0], [4, 0], [0, 0], [12, 0], [0, 12], [0, 12], [0, 8], [0, 0], [0, 0], [0, 0],
  [0, 0], [0, 0], [0, 0], [0, 8], [4, 0], [0, 12], [0, 0], [4, 0], [0, 0], [0, 12],
];

const btfLayout: Mutator = {
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

const btfGzip: Mutator = {
  name: GZIP,
  applies: (m) => m.btf !== undefined && m.btf.standalone,
  mutate(bytes, rng) {
    // btfFromBytes accepts gzip-compressed raw BTF: send the (otherwise
    // mutated) blob down that route.
    return new Uint8Array(gzipSync(bytes, { level: rng.chance(0.5) ? 1 : 6 }));
  },
};

// ---------------------------------------------------------------- .BTF.ext

function extLe(bytes: Uint8Array, at: number, marks: Landmarks): boolean {
  if (bytes[at] === 0x9f && bytes[at + 1] === 0xeb) return true;
  if (bytes[at] === 0xeb && bytes[at + 1] === 0x9f) return false;
  return marks.littleEndian;
}

const extHeader: Mutator = {
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

const extRecSize: Mutator = {
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

const extNumInfo: Mutator = {
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

const extRecord: Mutator = {
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

export const MUTATORS: readonly Mutator[] = [
  bitflip,
  interesting,
  truncate,
  extend,
  splice,
  insertDelete,
  elfHeader,
  elfSectionHeader,
  elfSwapSections,
  elfExtendedIndex,
  elfStrtab,
  elfSymbol,
  elfRelocation,
  btfHeader,
  btfKind,
  btfVlen,
  btfKflag,
  btfName,
  btfTypeRef,
  btfRefChain,
  btfStrings,
  btfShift,
  btfCopyRecord,
  btfLayout,
  btfGzip,
  extHeader,
  extRecSize,
  extNumInfo,
  extRecord,
];

export function mutatorByName(name: string): Mutator | undefined {
  return MUTATORS.find((m) => m.name === name);
}

/** The strategies that have something to aim at in this input. */
export function applicableMutators(marks: Landmarks): Mutator[] {
  return MUTATORS.filter((m) => m.applies(marks));
}
