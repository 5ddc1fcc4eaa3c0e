/**
 * bpfkit: an eBPF toolchain in TypeScript.
 * Subpaths: `bpfkit/elf`, `bpfkit/btf`, `bpfkit/insn`, `bpfkit/object`, `bpfkit/reloc`.
 */
export * as elf from './elf/index.js';
export * as btf from './btf/index.js';
export * as insn from './insn/index.js';
export * as object from './object/index.js';
export * as reloc from './reloc/index.js';
export { BpfkitError, type ErrorCode, type ErrorLocation } from './internal/errors.js';
export { VERSION } from './version.js';
