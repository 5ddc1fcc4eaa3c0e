/**
 * The BPF instruction layer: the instruction model, decoding and encoding in
 * both byte orders, and a disassembler whose text matches llvm-objdump-19.
 */
export * from './opcodes.js';
export {
  type Insn,
  type InsnKind,
  insnKind,
  makeInsn,
  ldImm64,
  setImm64,
  imm64Of,
  branchTarget,
} from './insn.js';
export { type DecodeOptions, decodeInsns, encodeInsns, decodeSection, executableSections } from './codec.js';
export {
  type FormatOptions,
  type DisassembleOptions,
  type DisassemblyLine,
  type SectionSymbol,
  UNKNOWN_TEXT,
  formatInsn,
  disassemble,
  disassembleLines,
  addressPrefix,
} from './format.js';
