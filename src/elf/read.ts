import { BpfkitError, withLocation } from '../internal/errors.js';
import { Reader } from '../internal/reader.js';
import { StringTable } from '../internal/strings.js';
import {
  EI_CLASS,
  EI_DATA,
  EI_NIDENT,
  ELF64_EHDR_SIZE,
  ELF64_PHDR_SIZE,
  ELF64_REL_SIZE,
  ELF64_RELA_SIZE,
  ELF64_SHDR_SIZE,
  ELF64_SYM_SIZE,
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  ELFMAG,
  PN_XNUM,
  SHN_XINDEX,
  SHT_DYNSYM,
  SHT_REL,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  SHT_SYMTAB_SHNDX,
} from './constants.js';
import { EHDR_OFFSET, SHDR_OFFSET, decodeHeader } from './header.js';
import { hasFileData } from './sections.js';
import type { ElfFile, ElfHeader, ElfSection } from './types.js';

export interface ReadElfOptions {
  /** File name recorded in the result and in errors. */
  file?: string;
  /** The caller gives `bytes` away: section data are views into it instead
   * of into a copy (saves copying inputs that are mostly DWARF). */
  adopt?: boolean;
}

/**
 * Parse an ELF64 file. Every structural problem becomes a BpfkitError that
 * names the file, the section (name or `#index`) and the absolute offset of
 * the offending field.
 *
 * The input is copied once and section data are views into that copy: the
 * result does not alias `bytes`, and sections that claim overlapping ranges
 * (legal, or forged to multiply memory use) cost nothing extra. Use
 * `data.byteOffset` when wrapping a section's buffer in a DataView.
 */
export function readElf(bytes: Uint8Array, opts: ReadElfOptions = {}): ElfFile {
  return withLocation({ file: opts.file }, () => parseElf(bytes, opts.file, opts.adopt === true));
}

function fail(code: BpfkitError['code'], detail: string, offset: number, section?: string): never {
  throw new BpfkitError(code, detail, { offset, section });
}

function checkIdent(bytes: Uint8Array): boolean {
  // Compare what is there first: a 3-byte text file is "not ELF", not "truncated ELF".
  for (let i = 0; i < ELFMAG.length && i < bytes.length; i++) {
    if (bytes[i] !== ELFMAG[i]) fail('BAD_MAGIC', 'not an ELF file (bad magic number)', 0);
  }
  if (bytes.length < EI_NIDENT) {
    fail('TRUNCATED', `ELF identification needs ${EI_NIDENT} bytes but the input has ${bytes.length}`, 0);
  }
  const cls = bytes[EI_CLASS];
  if (cls === ELFCLASS32) fail('UNSUPPORTED', 'ELF32 objects are not supported (BPF objects are ELF64)', EI_CLASS);
  if (cls !== ELFCLASS64) fail('BAD_VALUE', `unknown ELF class ${cls}`, EI_CLASS);
  const data = bytes[EI_DATA];
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) fail('BAD_VALUE', `unknown ELF data encoding ${data}`, EI_DATA);
  return data === ELFDATA2LSB;
}

/** A section header as read, before names and data are attached. */
interface RawSection {
  index: number;
  /** Absolute offset of this header in the file. */
  at: number;
  nameOffset: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

function parseElf(bytes: Uint8Array, fileName: string | undefined, adopt: boolean): ElfFile {
  const littleEndian = checkIdent(bytes);
  const r = new Reader(adopt ? bytes : bytes.slice(), littleEndian);
  r.need(ELF64_EHDR_SIZE, 0, 'ELF header');
  const header = decodeHeader(r);

  const raw = readSectionHeaders(r, header);
  const shstrndx = resolveNameTableIndex(header, raw);
  const names = nameTable(r, raw, shstrndx);

  const sections: ElfSection[] = raw.map((s) => {
    const name = sectionName(names, s);
    const label = name !== '' ? name : `#${s.index}`;
    return withLocation({ section: label }, () => {
      checkSection(s, raw, bytes.length);
      const data = hasFileData(s.type) ? r.bytes.subarray(s.offset, s.offset + s.size) : new Uint8Array(0);
      return {
        index: s.index,
        name,
        nameOffset: s.nameOffset,
        type: s.type,
        flags: s.flags,
        addr: s.addr,
        offset: s.offset,
        size: s.size,
        link: s.link,
        info: s.info,
        addralign: s.addralign,
        entsize: s.entsize,
        data,
      };
    });
  });

  const elf: ElfFile = { littleEndian, header, sections };
  const phdrs = readProgramHeaders(r, header, raw);
  if (phdrs !== undefined) elf.programHeaders = phdrs;
  if (fileName !== undefined) elf.fileName = fileName;
  return elf;
}

/**
 * Read the section header table. The count is validated against the input
 * size before anything is allocated, so a forged e_shnum cannot make the
 * parser reserve memory or loop for longer than the file justifies.
 */
function readSectionHeaders(r: Reader, h: ElfHeader): RawSection[] {
  const len = r.length;
  if (h.shoff === 0) {
    if (h.shnum !== 0) fail('BAD_VALUE', `e_shnum is ${h.shnum} but there is no section header table (e_shoff 0)`, EHDR_OFFSET.shnum);
    return [];
  }
  if (h.shentsize !== ELF64_SHDR_SIZE) {
    fail('BAD_VALUE', `e_shentsize is ${h.shentsize}, expected ${ELF64_SHDR_SIZE}`, EHDR_OFFSET.shentsize);
  }
  if (h.shoff > len) {
    fail('OUT_OF_RANGE', `section header table offset 0x${h.shoff.toString(16)} is beyond the end of the file (0x${len.toString(16)})`, EHDR_OFFSET.shoff);
  }

  let count = h.shnum;
  let countAt: number = EHDR_OFFSET.shnum;
  if (count === 0) {
    // Extended numbering: the real count lives in section 0's sh_size.
    r.need(ELF64_SHDR_SIZE, h.shoff, 'section header 0');
    countAt = h.shoff + SHDR_OFFSET.size;
    count = r.seek(countAt).u64n('section count');
    if (count === 0) fail('BAD_VALUE', 'e_shnum and section 0 sh_size are both 0 but e_shoff is set', countAt);
  }
  if (count > Math.floor(len / ELF64_SHDR_SIZE)) {
    fail('TOO_LARGE', `${count} section headers cannot fit in a ${len}-byte file`, countAt);
  }
  if (count * ELF64_SHDR_SIZE > len - h.shoff) {
    fail('TRUNCATED', `section header table (${count} entries at 0x${h.shoff.toString(16)}) runs past the end of the file`, h.shoff);
  }

  const out: RawSection[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = h.shoff + i * ELF64_SHDR_SIZE;
    out[i] = withLocation({ section: `#${i}` }, () => {
      r.seek(at);
      return {
        index: i,
        at,
        nameOffset: r.u32(),
        type: r.u32(),
        flags: r.u64(),
        addr: r.u64(),
        offset: r.u64n('sh_offset'),
        size: r.u64n('sh_size'),
        link: r.u32(),
        info: r.u32(),
        addralign: r.u64n('sh_addralign'),
        entsize: r.u64n('sh_entsize'),
      };
    });
  }
  return out;
}

function resolveNameTableIndex(h: ElfHeader, raw: RawSection[]): number {
  let index = h.shstrndx;
  let at: number = EHDR_OFFSET.shstrndx;
  if (index === SHN_XINDEX) {
    if (raw.length === 0) fail('BAD_VALUE', 'e_shstrndx is SHN_XINDEX but there are no sections', at);
    index = raw[0].link;
    at = raw[0].at + SHDR_OFFSET.link;
  }
  if (index === 0) return 0;
  if (index >= raw.length) {
    fail('OUT_OF_RANGE', `section name table index ${index} is outside the section table (${raw.length} sections)`, at);
  }
  if (raw[index].type !== SHT_STRTAB) {
    fail('BAD_VALUE', `section name table #${index} has type 0x${raw[index].type.toString(16)}, not STRTAB`, at);
  }
  return index;
}

function nameTable(r: Reader, raw: RawSection[], shstrndx: number): StringTable | undefined {
  if (shstrndx === 0) return undefined;
  const s = raw[shstrndx];
  return withLocation({ section: `#${shstrndx}` }, () => {
    checkBounds(s, r.length);
    return new StringTable(r.bytes.subarray(s.offset, s.offset + s.size));
  });
}

function sectionName(names: StringTable | undefined, s: RawSection): string {
  if (names === undefined) return '';
  const at = s.at + SHDR_OFFSET.name;
  if (!names.has(s.nameOffset)) {
    fail('OUT_OF_RANGE', `sh_name ${s.nameOffset} is outside the section name table (size ${names.size})`, at, `#${s.index}`);
  }
  try {
    return names.get(s.nameOffset);
  } catch (e) {
    if (e instanceof BpfkitError) {
      e.offset = at;
      throw e.locate({ section: `#${s.index}` });
    }
    throw e;
  }
}

function checkBounds(s: RawSection, len: number): void {
  if (!hasFileData(s.type)) return;
  const at = s.at + SHDR_OFFSET.offset;
  if (s.offset > len) {
    fail('OUT_OF_RANGE', `section data offset 0x${s.offset.toString(16)} is beyond the end of the file (0x${len.toString(16)})`, at);
  }
  if (s.size > len - s.offset) {
    fail('TRUNCATED', `section data [0x${s.offset.toString(16)}, +0x${s.size.toString(16)}) runs past the end of the file (0x${len.toString(16)})`, at);
  }
}

/** Structural checks for the section types this layer interprets. */
function checkSection(s: RawSection, raw: RawSection[], len: number): void {
  checkBounds(s, len);
  const linkAt = s.at + SHDR_OFFSET.link;
  const needLink = (): void => {
    if (s.link === 0 || s.link >= raw.length) {
      fail('OUT_OF_RANGE', `sh_link ${s.link} does not name a section (${raw.length} sections)`, linkAt);
    }
  };
  const needEntries = (entsize: number, what: string): void => {
    if (s.entsize !== entsize) fail('BAD_VALUE', `${what} sh_entsize is ${s.entsize}, expected ${entsize}`, s.at + SHDR_OFFSET.entsize);
    if (s.size % entsize !== 0) fail('BAD_VALUE', `${what} size ${s.size} is not a multiple of ${entsize}`, s.at + SHDR_OFFSET.size);
  };
  switch (s.type) {
    case SHT_SYMTAB:
    case SHT_DYNSYM:
      needEntries(ELF64_SYM_SIZE, 'symbol table');
      needLink();
      if (raw[s.link].type !== SHT_STRTAB) {
        fail('BAD_VALUE', `symbol table links to section #${s.link}, which is not a string table`, linkAt);
      }
      break;
    case SHT_REL:
      needEntries(ELF64_REL_SIZE, 'REL');
      needLink();
      break;
    case SHT_RELA:
      needEntries(ELF64_RELA_SIZE, 'RELA');
      needLink();
      break;
    case SHT_SYMTAB_SHNDX:
      if (s.size % 4 !== 0) fail('BAD_VALUE', `SYMTAB_SHNDX size ${s.size} is not a multiple of 4`, s.at + SHDR_OFFSET.size);
      needLink();
      break;
    default:
      break;
  }
}

/** Program headers are kept opaque; only their extent is validated. */
function readProgramHeaders(r: Reader, h: ElfHeader, raw: RawSection[]): Uint8Array | undefined {
  let count = h.phnum;
  let countAt: number = EHDR_OFFSET.phnum;
  if (count === PN_XNUM && raw.length > 0) {
    count = raw[0].info;
    countAt = raw[0].at + SHDR_OFFSET.info;
  }
  if (count === 0) return undefined;
  if (h.phentsize !== ELF64_PHDR_SIZE) {
    fail('BAD_VALUE', `e_phentsize is ${h.phentsize}, expected ${ELF64_PHDR_SIZE}`, EHDR_OFFSET.phentsize);
  }
  const len = r.length;
  if (h.phoff > len) {
    fail('OUT_OF_RANGE', `program header table offset 0x${h.phoff.toString(16)} is beyond the end of the file`, EHDR_OFFSET.phoff);
  }
  if (count > Math.floor(len / ELF64_PHDR_SIZE)) {
    fail('TOO_LARGE', `${count} program headers cannot fit in a ${len}-byte file`, countAt);
  }
  const size = count * ELF64_PHDR_SIZE;
  if (size > len - h.phoff) {
    fail('TRUNCATED', 'program header table runs past the end of the file', h.phoff);
  }
  return r.bytes.subarray(h.phoff, h.phoff + size);
}
