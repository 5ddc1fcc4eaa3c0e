/**
 * Strategies aimed at ELF structures: the file header, section headers,
 * string tables, symbols and relocations (landmarks from marks.elf).
 */
import { aimField, copyOf, writeUint } from './fields.js';
import type { Mutator, Width } from './mutator.js';

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

export const elfHeader: Mutator = {
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

export const elfSectionHeader: Mutator = {
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

export const elfSwapSections: Mutator = {
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

export const elfExtendedIndex: Mutator = {
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

export const elfStrtab: Mutator = {
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

export const elfSymbol: Mutator = {
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

export const elfRelocation: Mutator = {
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
