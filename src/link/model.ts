import type { Btf } from '../btf/btf.js';
import type { BtfExt, CoreRelo, FuncInfo, LineInfo } from '../btf/ext/types.js';
import type { ElfFile, ElfSymbol } from '../elf/index.js';
import type { InputBtfIndex } from './btf-index.js';
import type { OutBtf } from './out-btf.js';

/**
 * The linker's working state, named after libbpf's bpf_linker: input
 * objects with their sections ("src" in libbpf), output sections ("dst"),
 * the output symbol list and the table of global symbols resolved by name.
 */

/** One section of an input object (by ELF index), or an ephemeral one: a
 * BTF DATASEC with no ELF section behind it (.kconfig, .ksyms, a `.maps` that
 * only declares extern maps). */
export interface InputSection {
  /** ELF section index; 0 for ephemeral sections. */
  index: number;
  name: string;
  type: number;
  flags: bigint;
  size: number;
  align: number;
  entsize: number;
  data: Uint8Array;
  /** Not carried into the output (DWARF, .BTF, addrsig, a duplicate license). */
  skipped: boolean;
  ephemeral: boolean;
  /** Output section this one was appended to (-1: none). */
  outId: number;
  /** Where this section's bytes start in that output section. */
  outOffset: number;
  /** The input BTF DATASEC describing this section, if any. */
  datasecId: number;
  /** For REL sections: the ELF index of the section they relocate. */
  relTarget: number;
}

export interface InputObject {
  name: string;
  elf: ElfFile;
  littleEndian: boolean;
  /** Indexed by ELF section index; ephemeral sections follow. */
  sections: InputSection[];
  symbols: ElfSymbol[];
  btf: Btf | undefined;
  /** DATASECs and global VARs/FUNCs of `btf` (undefined without BTF). */
  btfIndex: InputBtfIndex | undefined;
  ext: BtfExt | undefined;
  /** Input symbol index -> output symbol (undefined: dropped). */
  symMap: (OutSymbol | undefined)[];
  /** Input BTF type id -> output BTF type id (0: not carried over). */
  typeMap: Uint32Array;
}

export interface DatasecEntry {
  /** Output BTF id of the VAR (or FUNC). */
  type: number;
  offset: number;
  size: number;
  /** Set for non-static variables: one entry per global, placed where its
   * winning definition ended up. */
  global?: GlobalSymbol;
}

export interface ExtRecords<R> {
  recSize: number;
  records: R[];
}

export interface OutSection {
  id: number;
  name: string;
  type: number;
  flags: bigint;
  entsize: number;
  align: number;
  size: number;
  /** Bytes (PROGBITS, REL); unused for NOBITS and ephemeral sections. */
  bytes: Uint8Array;
  ephemeral: boolean;
  isRel: boolean;
  /** For REL sections: the output section relocated. */
  relTarget?: OutSection;
  relocs: OutRelocation[];
  /** The one STT_SECTION symbol of this section, when an input had one. */
  sectionSymbol?: OutSymbol;
  /** Some input described this section with a DATASEC. */
  hasBtf: boolean;
  datasec: DatasecEntry[];
  funcInfo?: ExtRecords<FuncInfo>;
  lineInfo?: ExtRecords<LineInfo>;
  coreRelo?: ExtRecords<CoreRelo>;
}

export interface OutRelocation {
  offset: number;
  symbol: OutSymbol;
  type: number;
}

export interface OutSymbol {
  name: string;
  value: bigint;
  size: bigint;
  bind: number;
  type: number;
  visibility: number;
  other: number;
  /** Defined in this output section; undefined with `shndx` for UNDEF/ABS. */
  section: OutSection | undefined;
  shndx: number;
}

/** A global (or weak, or extern) symbol, resolved by name across inputs. */
export interface GlobalSymbol {
  name: string;
  sym: OutSymbol;
  isExtern: boolean;
  isWeak: boolean;
  /** Output section of the definition (or of the extern's DATASEC). */
  section: OutSection | undefined;
  /** Output BTF id of its VAR/FUNC (0 until the BTF stage). */
  btfId: number;
  /** The BTF type that currently describes it: the definition's once there
   * is one, else the first declaration's. Used for compatibility checks. */
  ref: { btf: Btf; id: number; file: string };
  /** File that provided the current definition (or first declaration). */
  file: string;
  /** A new definition replaced the one the output BTF describes: the
   * VAR/FUNC must point at the new file's underlying type. */
  retype: boolean;
  /** BTF id (in the defining input) whose underlying type is to be used. */
  retypeFrom?: { file: InputObject; id: number };
}

export interface LinkState {
  littleEndian: boolean | undefined;
  firstFile: string | undefined;
  sections: OutSection[];
  symbols: OutSymbol[];
  globals: Map<string, GlobalSymbol>;
  /** Output BTF types, as records (see out-btf.ts). */
  btf: OutBtf;
  inputs: string[];
}
