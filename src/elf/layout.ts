import { BpfkitError } from '../internal/errors.js';
import { StringTableBuilder, decodeLatin1 } from '../internal/strings.js';
import {
  ELF64_EHDR_SIZE,
  ELF64_PHDR_SIZE,
  ELF64_SHDR_SIZE,
  PN_XNUM,
  SHN_LORESERVE,
  SHN_XINDEX,
  SHT_NOBITS,
} from './constants.js';
import { hasFileData, resolveShstrndx, sectionLabel } from './sections.js';
import type { ElfFile, ElfHeader, ElfSection } from './types.js';

/** Largest output writeElf will produce; beyond this a layout is a bug or an
 * attack (e.g. a forged 2^40 alignment), not an object file. */
export const MAX_ELF_SIZE = 0x7fff_ffff;

/**
 * Make the model self-consistent without moving anything: sizes follow the
 * data, names that no longer match the name table are added to it, and the
 * header's counts follow the section and program header arrays (using the
 * extended-numbering escapes only when needed or when the input already
 * used them). Returns copies; the input is not modified.
 */
export function normalizeElf(elf: ElfFile): ElfFile {
  const sections = elf.sections.map((s, index) => ({
    ...s,
    index,
    size: hasFileData(s.type) ? s.data.byteLength : s.size,
  }));
  const header: ElfHeader = { ...elf.header, ident: elf.header.ident.slice() };
  const n = sections.length;
  const shstrndx = resolveShstrndx(elf.header, elf.sections);
  if (n === 0) {
    header.shstrndx = 0;
  } else if (shstrndx >= n) {
    throw new BpfkitError('BAD_VALUE', `section name table index ${shstrndx} is outside the ${n} sections`, { file: elf.fileName });
  }
  syncNames(header, sections, elf.fileName);

  if (n > 0) header.shentsize = ELF64_SHDR_SIZE;
  if (n >= SHN_LORESERVE) {
    header.shnum = 0;
    sections[0].size = n;
  } else if (!(header.shnum === 0 && n > 0 && sections[0].size === n)) {
    header.shnum = n;
  }

  if (shstrndx >= SHN_LORESERVE) {
    header.shstrndx = SHN_XINDEX;
    sections[0].link = shstrndx;
  }

  const phdrs = elf.programHeaders;
  if (phdrs !== undefined && phdrs.byteLength > 0) {
    if (header.phentsize === 0) header.phentsize = ELF64_PHDR_SIZE;
    if (phdrs.byteLength % header.phentsize !== 0) {
      throw new BpfkitError('BAD_VALUE', `program headers (${phdrs.byteLength} bytes) are not a whole number of ${header.phentsize}-byte entries`, { file: elf.fileName });
    }
    const count = phdrs.byteLength / header.phentsize;
    if (count >= PN_XNUM) {
      if (n === 0) throw new BpfkitError('BAD_VALUE', `${count} program headers need section 0 to hold the count`, { file: elf.fileName });
      header.phnum = PN_XNUM;
      sections[0].info = count;
    } else if (!(header.phnum === PN_XNUM && n > 0 && sections[0].info === count)) {
      header.phnum = count;
    }
  } else {
    header.phnum = 0;
  }

  const out: ElfFile = { littleEndian: elf.littleEndian, header, sections };
  if (phdrs !== undefined && phdrs.byteLength > 0) out.programHeaders = phdrs;
  if (elf.fileName !== undefined) out.fileName = elf.fileName;
  return out;
}

/**
 * Point every section's nameOffset at its name. Names already at their
 * recorded offset stay (so an unmodified file keeps its table byte for
 * byte); others reuse an identical string in the table or are appended.
 */
function syncNames(header: ElfHeader, sections: ElfSection[], file: string | undefined): void {
  const tableIndex = resolveShstrndx(header, sections);
  const table = tableIndex > 0 && tableIndex < sections.length ? sections[tableIndex] : undefined;
  if (table === undefined) {
    const named = sections.find((s) => s.name !== '');
    if (named !== undefined) {
      throw new BpfkitError('BAD_VALUE', 'a section has a name but the file has no section name table', {
        file,
        section: named.name,
      });
    }
    return;
  }
  let builder: StringTableBuilder | undefined;
  for (const s of sections) {
    // Appending keeps the old bytes as a prefix, so recorded offsets stay valid.
    if (stringAt(table.data, s.nameOffset) === s.name) continue;
    builder ??= builderFor(table.data);
    s.nameOffset = builder.add(s.name);
  }
  if (builder !== undefined && builder.size !== table.data.byteLength) {
    table.data = builder.finish();
    table.size = table.data.byteLength;
  }
}

/** A builder that keeps `bytes` verbatim and knows every string in it. */
function builderFor(bytes: Uint8Array): StringTableBuilder {
  const b = new StringTableBuilder(bytes);
  let start = 0;
  while (start < bytes.byteLength) {
    let end = bytes.indexOf(0, start);
    if (end < 0) end = bytes.byteLength;
    // A string without its NUL (at the very end) cannot be referenced safely.
    if (end < bytes.byteLength) b.remember(decodeLatin1(bytes, start, end), start);
    start = end + 1;
  }
  return b;
}

function stringAt(bytes: Uint8Array, offset: number): string | undefined {
  if (!(offset >= 0 && offset < bytes.byteLength)) return undefined;
  const end = bytes.indexOf(0, offset);
  if (end < 0) return undefined;
  return decodeLatin1(bytes, offset, end);
}

/** A byte range of the output file. */
export interface Region {
  start: number;
  end: number;
  what: string;
}

/** The file ranges a normalised model claims at its recorded offsets. */
export function recordedRegions(elf: ElfFile): Region[] {
  const regions: Region[] = [{ start: 0, end: ELF64_EHDR_SIZE, what: 'ELF header' }];
  const phdrs = elf.programHeaders;
  if (phdrs !== undefined && phdrs.byteLength > 0) {
    regions.push({ start: elf.header.phoff, end: elf.header.phoff + phdrs.byteLength, what: 'program headers' });
  }
  const n = elf.sections.length;
  if (n > 0) regions.push({ start: elf.header.shoff, end: elf.header.shoff + n * ELF64_SHDR_SIZE, what: 'section headers' });
  for (const s of elf.sections) {
    if (hasFileData(s.type) && s.data.byteLength > 0) {
      regions.push({ start: s.offset, end: s.offset + s.data.byteLength, what: `section #${s.index}` });
    }
  }
  return regions;
}

/**
 * Whether a normalised model can be written at its recorded offsets: every
 * region is a valid non-negative integer range, tables are where the header
 * says, and no two regions overlap.
 */
export function fitsRecordedLayout(elf: ElfFile): boolean {
  if (elf.sections.length > 0 && elf.header.shoff < ELF64_EHDR_SIZE) return false;
  if (elf.programHeaders !== undefined && elf.programHeaders.byteLength > 0 && elf.header.phoff < ELF64_EHDR_SIZE) return false;
  const regions = recordedRegions(elf);
  for (const r of regions) {
    if (!Number.isSafeInteger(r.start) || !Number.isSafeInteger(r.end) || r.start < 0) return false;
  }
  regions.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < regions.length; i++) {
    if (regions[i].start < regions[i - 1].end) return false;
  }
  return true;
}

/** gABI: sh_addralign 0 and 1 mean no constraint and other values must be
 * powers of two; anything else is ignored rather than trusted. */
function isPowerOfTwo(v: number): boolean {
  if (!Number.isSafeInteger(v) || v <= 0) return false;
  const b = BigInt(v);
  return (b & (b - 1n)) === 0n;
}

function align(pos: number, alignment: number, elf: ElfFile, section?: ElfSection): number {
  if (alignment <= 1 || !isPowerOfTwo(alignment)) return pos;
  const out = Math.ceil(pos / alignment) * alignment;
  if (out > MAX_ELF_SIZE) {
    throw new BpfkitError('TOO_LARGE', `aligning to ${alignment} would make the file larger than ${MAX_ELF_SIZE} bytes`, {
      file: elf.fileName,
      section: section === undefined ? undefined : sectionLabel(section),
    });
  }
  return out;
}

/**
 * Lay the file out anew: header, program headers (8-aligned), section data
 * in index order (each aligned to sh_addralign; NOBITS sections get the
 * aligned position but no bytes), then the section header table aligned to 8.
 * Returns a normalised copy with updated offsets; nothing is written.
 */
export function layoutElf(elf: ElfFile): ElfFile {
  const out = normalizeElf(elf);
  const h = out.header;
  h.ehsize = ELF64_EHDR_SIZE;
  let pos = ELF64_EHDR_SIZE;
  if (out.programHeaders !== undefined) {
    pos = align(pos, 8, out);
    h.phoff = pos;
    pos += out.programHeaders.byteLength;
  }
  for (const s of out.sections) {
    if (s.type === SHT_NOBITS) {
      s.offset = align(pos, s.addralign, out, s);
    } else if (hasFileData(s.type)) {
      pos = align(pos, s.addralign, out, s);
      s.offset = pos;
      pos += s.data.byteLength;
    } else {
      s.offset = 0;
    }
  }
  if (out.sections.length > 0) {
    h.shoff = align(pos, 8, out);
  } else {
    h.shoff = 0;
  }
  return out;
}
