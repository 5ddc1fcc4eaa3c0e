/**
 * ELF64 constants used by BPF objects. Values come from the System V gABI and
 * the LLVM BPF backend; names follow <elf.h> so they can be searched for.
 */

export const ELFMAG = Uint8Array.of(0x7f, 0x45, 0x4c, 0x46);

// e_ident indexes and values
export const EI_NIDENT = 16;
export const EI_CLASS = 4;
export const EI_DATA = 5;
export const EI_VERSION = 6;
export const EI_OSABI = 7;
export const EI_ABIVERSION = 8;

export const ELFCLASSNONE = 0;
export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;

export const ELFDATANONE = 0;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;

export const EV_CURRENT = 1;

// e_type
export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

// e_machine
export const EM_NONE = 0;
export const EM_BPF = 247;

/** Sizes of the fixed ELF64 structures. */
export const ELF64_EHDR_SIZE = 64;
export const ELF64_SHDR_SIZE = 64;
export const ELF64_PHDR_SIZE = 56;
export const ELF64_SYM_SIZE = 24;
export const ELF64_REL_SIZE = 16;
export const ELF64_RELA_SIZE = 24;

// Special section indexes
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_LOPROC = 0xff00;
export const SHN_HIPROC = 0xff1f;
export const SHN_LOOS = 0xff20;
export const SHN_HIOS = 0xff3f;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;
export const SHN_HIRESERVE = 0xffff;

/** e_phnum value meaning "the real count is in section 0's sh_info". */
export const PN_XNUM = 0xffff;

// sh_type
export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_HASH = 5;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_SHLIB = 10;
export const SHT_DYNSYM = 11;
export const SHT_INIT_ARRAY = 14;
export const SHT_FINI_ARRAY = 15;
export const SHT_PREINIT_ARRAY = 16;
export const SHT_GROUP = 17;
export const SHT_SYMTAB_SHNDX = 18;
export const SHT_LOOS = 0x60000000;
export const SHT_LLVM_ADDRSIG = 0x6fff4c03;
export const SHT_HIOS = 0x6fffffff;
export const SHT_LOPROC = 0x70000000;
export const SHT_HIPROC = 0x7fffffff;
export const SHT_LOUSER = 0x80000000;
export const SHT_HIUSER = 0xffffffff;

// sh_flags (bigint because sh_flags is a 64-bit field)
export const SHF_WRITE = 0x1n;
export const SHF_ALLOC = 0x2n;
export const SHF_EXECINSTR = 0x4n;
export const SHF_MERGE = 0x10n;
export const SHF_STRINGS = 0x20n;
export const SHF_INFO_LINK = 0x40n;
export const SHF_LINK_ORDER = 0x80n;
export const SHF_OS_NONCONFORMING = 0x100n;
export const SHF_GROUP = 0x200n;
export const SHF_TLS = 0x400n;
export const SHF_COMPRESSED = 0x800n;
export const SHF_MASKOS = 0x0ff00000n;
export const SHF_MASKPROC = 0xf0000000n;
export const SHF_EXCLUDE = 0x80000000n;

// Symbol binding (high nibble of st_info)
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STB_GNU_UNIQUE = 10;

// Symbol type (low nibble of st_info)
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;
export const STT_GNU_IFUNC = 10;

// Symbol visibility (low two bits of st_other)
export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;

// BPF relocation types (r_info low 32 bits), as named by LLVM.
export const R_BPF_NONE = 0;
export const R_BPF_64_64 = 1;
export const R_BPF_64_ABS64 = 2;
export const R_BPF_64_ABS32 = 3;
export const R_BPF_64_NODYLD32 = 4;
export const R_BPF_64_32 = 10;

const SHT_NAMES: Record<number, string> = {
  [SHT_NULL]: 'NULL',
  [SHT_PROGBITS]: 'PROGBITS',
  [SHT_SYMTAB]: 'SYMTAB',
  [SHT_STRTAB]: 'STRTAB',
  [SHT_RELA]: 'RELA',
  [SHT_HASH]: 'HASH',
  [SHT_DYNAMIC]: 'DYNAMIC',
  [SHT_NOTE]: 'NOTE',
  [SHT_NOBITS]: 'NOBITS',
  [SHT_REL]: 'REL',
  [SHT_SHLIB]: 'SHLIB',
  [SHT_DYNSYM]: 'DYNSYM',
  [SHT_INIT_ARRAY]: 'INIT_ARRAY',
  [SHT_FINI_ARRAY]: 'FINI_ARRAY',
  [SHT_PREINIT_ARRAY]: 'PREINIT_ARRAY',
  [SHT_GROUP]: 'GROUP',
  [SHT_SYMTAB_SHNDX]: 'SYMTAB_SHNDX',
  [SHT_LLVM_ADDRSIG]: 'LLVM_ADDRSIG',
};

/** A display name for a section type; unknown types print as hex. */
export function sectionTypeName(type: number): string {
  return SHT_NAMES[type] ?? `0x${type.toString(16)}`;
}

const R_BPF_NAMES: Record<number, string> = {
  [R_BPF_NONE]: 'R_BPF_NONE',
  [R_BPF_64_64]: 'R_BPF_64_64',
  [R_BPF_64_ABS64]: 'R_BPF_64_ABS64',
  [R_BPF_64_ABS32]: 'R_BPF_64_ABS32',
  [R_BPF_64_NODYLD32]: 'R_BPF_64_NODYLD32',
  [R_BPF_64_32]: 'R_BPF_64_32',
};

/** The LLVM name of a BPF relocation type; unknown types print as a number. */
export function bpfRelocationTypeName(type: number): string {
  return R_BPF_NAMES[type] ?? `R_BPF_${type}`;
}
