import {
  EI_CLASS,
  EI_DATA,
  EI_NIDENT,
  EI_VERSION,
  ELF64_EHDR_SIZE,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  ELFMAG,
  EM_BPF,
  ET_REL,
  EV_CURRENT,
  SHT_NOBITS,
  SHT_NULL,
  SHT_STRTAB,
} from './constants.js';
import type { ElfFile, ElfSection } from './types.js';

export interface CreateElfOptions {
  littleEndian: boolean;
  /** e_machine; EM_BPF by default. */
  machine?: number;
  /** e_type; ET_REL by default. */
  type?: number;
  fileName?: string;
}

/**
 * An empty ELF64 model: the NULL section and a section name table. Offsets
 * are left at 0, so writeElf lays the file out anew.
 */
export function createElf(opts: CreateElfOptions): ElfFile {
  const ident = new Uint8Array(EI_NIDENT);
  ident.set(ELFMAG);
  ident[EI_CLASS] = ELFCLASS64;
  ident[EI_DATA] = opts.littleEndian ? ELFDATA2LSB : ELFDATA2MSB;
  ident[EI_VERSION] = EV_CURRENT;
  const elf: ElfFile = {
    littleEndian: opts.littleEndian,
    header: {
      ident,
      type: opts.type ?? ET_REL,
      machine: opts.machine ?? EM_BPF,
      version: EV_CURRENT,
      entry: 0n,
      phoff: 0,
      shoff: 0,
      flags: 0,
      ehsize: ELF64_EHDR_SIZE,
      phentsize: 0,
      phnum: 0,
      shentsize: 0,
      shnum: 0,
      shstrndx: 1,
    },
    sections: [],
  };
  if (opts.fileName !== undefined) elf.fileName = opts.fileName;
  addSection(elf, { name: '', type: SHT_NULL });
  addSection(elf, { name: '.shstrtab', type: SHT_STRTAB, addralign: 1, data: new Uint8Array(1) });
  return elf;
}

export interface NewSection {
  name: string;
  type: number;
  data?: Uint8Array;
  /** Only meaningful for NOBITS; other sections take their size from data. */
  size?: number;
  flags?: bigint;
  addr?: bigint;
  link?: number;
  info?: number;
  addralign?: number;
  entsize?: number;
}

/**
 * Append a section and return it. Its name is entered into the section name
 * table when the file is written, and its offset is assigned then too.
 */
export function addSection(elf: ElfFile, spec: NewSection): ElfSection {
  const data = spec.data ?? new Uint8Array(0);
  const s: ElfSection = {
    index: elf.sections.length,
    name: spec.name,
    nameOffset: 0,
    type: spec.type,
    flags: spec.flags ?? 0n,
    addr: spec.addr ?? 0n,
    offset: 0,
    size: spec.type === SHT_NOBITS || spec.type === SHT_NULL ? (spec.size ?? 0) : data.byteLength,
    link: spec.link ?? 0,
    info: spec.info ?? 0,
    addralign: spec.addralign ?? 1,
    entsize: spec.entsize ?? 0,
    data: spec.type === SHT_NOBITS || spec.type === SHT_NULL ? new Uint8Array(0) : data,
  };
  if (spec.type === SHT_NULL) s.addralign = spec.addralign ?? 0;
  elf.sections.push(s);
  return s;
}
