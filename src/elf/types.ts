/**
 * The in-memory model of an ELF64 file. Fields hold the raw values from the
 * file (not normalised) so that writing an unmodified model reproduces the
 * input exactly; helpers interpret them.
 */

export interface ElfHeader {
  /** The 16 e_ident bytes, kept verbatim (padding included). */
  ident: Uint8Array;
  type: number;
  machine: number;
  version: number;
  entry: bigint;
  phoff: number;
  shoff: number;
  flags: number;
  ehsize: number;
  phentsize: number;
  /** Raw e_phnum (PN_XNUM when the count lives in section 0's sh_info). */
  phnum: number;
  shentsize: number;
  /** Raw e_shnum (0 when the count lives in section 0's sh_size). */
  shnum: number;
  /** Raw e_shstrndx (SHN_XINDEX when the index lives in section 0's sh_link). */
  shstrndx: number;
}

export interface ElfSection {
  /** Position in the section header table. */
  index: number;
  /** Resolved from the section name table ('' when there is none). */
  name: string;
  /** sh_name: the name's offset in the section name table. */
  nameOffset: number;
  type: number;
  flags: bigint;
  addr: bigint;
  /** sh_offset as recorded; writeElf may move the section. */
  offset: number;
  /** sh_size. For sections with file data writeElf uses data.length. */
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
  /** The section's bytes (empty for NOBITS and NULL sections). */
  data: Uint8Array;
}

export interface ElfFile {
  littleEndian: boolean;
  header: ElfHeader;
  sections: ElfSection[];
  /** The program header table as opaque bytes, when the file has one. */
  programHeaders?: Uint8Array;
  /** Where the bytes came from, for error messages. */
  fileName?: string;
}
