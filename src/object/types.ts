import type { Btf, BtfExt } from '../btf/index.js';
import type { ElfFile, ElfSymbol } from '../elf/index.js';

/**
 * The model of a BPF object file: what libbpf's bpf_object__open() finds in
 * it, without loading anything. Names and numbers follow libbpf's.
 */
export interface BpfObject {
  file: string | undefined;
  littleEndian: boolean;
  elf: ElfFile;
  /** The symbol table, as read once at open. */
  symbols: ElfSymbol[];
  btf: Btf | undefined;
  btfExt: BtfExt | undefined;
  license: string | undefined;
  /** `version` section (kernel version for old kprobe loaders). */
  kernelVersion: number | undefined;
  programs: BpfProgram[];
  /** Functions in `.text` that programs call. */
  subprograms: Subprogram[];
  maps: BpfMap[];
  dataSections: DataSection[];
  externs: Extern[];
  relocations: LoadRelocation[];
  /** Number of CO-RE relocation records in `.BTF.ext`. */
  coreRelocationCount: number;
  /** Sections recognised but not otherwise modelled (struct_ops, arena…). */
  specialSections: { name: string; kind: 'struct_ops' | 'arena' }[];
  /** Non-fatal findings (unknown SEC names and the like). */
  warnings: string[];
}

export interface BpfProgram {
  name: string;
  /** ELF section name without a leading '?'. */
  section: string;
  sectionIndex: number;
  /** First instruction slot within the section (8-byte units). */
  insnOffset: number;
  /** Instruction slots (an ld_imm64 counts as two, as in libbpf). */
  insnCount: number;
  /** False when the section name starts with '?'. */
  autoload: boolean;
  /** bpf_prog_type number; undefined when the section name is unknown. */
  type: number | undefined;
  typeName: string | undefined;
  expectedAttachType: number;
  /** Only where libbpf's table names one. */
  expectedAttachTypeName: string | undefined;
  /** BPF_F_SLEEPABLE and the like, as libbpf sets them. */
  progFlags: number;
  /** The matching libbpf section definition ("kprobe+"). */
  secDef: string | undefined;
  /** The part after the definition's prefix ("do_nanosleep" in "kprobe/do_nanosleep"). */
  attachTarget: string | undefined;
  /** Sub-programs reached by bpf-to-bpf calls and function pointers, transitively, by name. */
  calls: string[];
}

export interface Subprogram {
  name: string;
  section: string;
  sectionIndex: number;
  insnOffset: number;
  insnCount: number;
  global: boolean;
}

export type MapKind = 'btf' | 'legacy' | 'legacy-iproute2' | 'data' | 'kconfig' | 'struct_ops' | 'arena';

export interface BpfMap {
  /** The symbol name (BTF-defined and legacy maps) or, for data maps, the
   * section name (".data", ".rodata.str1.1"). */
  name: string;
  kind: MapKind;
  section: string;
  sectionIndex: number;
  /** Offset of the definition (or the data) in its section. */
  sectionOffset: number;
  type: number;
  typeName: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  mapFlags: number;
  numaNode: number;
  /** 0 none, 1 by name (LIBBPF_PIN_BY_NAME). */
  pinning: number;
  mapExtra: bigint;
  keyTypeId: number;
  valueTypeId: number;
  keyTypeName: string | undefined;
  valueTypeName: string | undefined;
  /** Inner map template of a map-in-map. */
  inner: BpfMap | undefined;
  /** Slots set from `.values` (prog arrays: program names; map-in-map: map names). */
  initialValues: { slot: number; target: string }[];
  /** iproute2 extras, kept for reporting. */
  legacy?: { id: number; pinning: number; innerId: number; innerIdx: number };
}

export interface DataVariable {
  name: string;
  offset: number;
  size: number;
  typeId: number;
  typeName: string;
  linkage: 'static' | 'global' | 'extern' | string;
}

export interface DataSection {
  name: string;
  sectionIndex: number;
  /** Size from the ELF section (clang leaves the DATASEC size at 0). */
  size: number;
  readonly: boolean;
  /** NOBITS sections have no initial bytes (all zero). */
  initial: Uint8Array | undefined;
  /** DATASEC variables, sorted by offset. */
  variables: DataVariable[];
  /** Whether the BTF DATASEC's size was 0 and has been taken from ELF. */
  sizeFixedUp: boolean;
}

export type ExternKind = 'kconfig' | 'ksym' | 'kfunc' | 'plain';

export interface Extern {
  name: string;
  kind: ExternKind;
  weak: boolean;
  /** BTF VAR/FUNC id, when the object has BTF. */
  typeId: number | undefined;
  /** For typed ksyms and kconfig: the variable's type id; 0 for typeless ksyms. */
  valueTypeId: number | undefined;
  /** Short description of the type ("bool", "char[16]", "struct rq", "void"). */
  typeName: string | undefined;
  /** kconfig: libbpf's classification (bool, tristate, char, int, char_arr). */
  kconfigType?: string;
}

export type LoadRelocationKind =
  | 'map_fd' // ld_imm64 of a map definition
  | 'map_value' // ld_imm64 of a global variable (address in a data map)
  | 'subprog_call' // call to a sub-program
  | 'func_addr' // ld_imm64 of a function's address (callbacks)
  | 'kconfig' // ld_imm64 of a .kconfig extern
  | 'ksym' // ld_imm64 of a typed or typeless ksym
  | 'kfunc' // call of a kfunc
  | 'extern'; // other unresolved extern

export interface LoadRelocation {
  kind: LoadRelocationKind;
  /** Program or sub-program the instruction belongs to. */
  program: string;
  section: string;
  /** Instruction slot from the program's first instruction. */
  insn: number;
  symbol: string;
  /** Map name, sub-program name or extern name the relocation resolves to. */
  target: string;
  /** Byte offset added (map value offset, call target adjustment). */
  addend: number;
}
