/**
 * The instruction model.
 *
 * A program is an `Insn[]` indexed by instruction slot (8-byte unit), so that
 * `insns[i]` is the instruction at byte offset `8 * i`: the same numbering as
 * llvm-objdump's address column, libbpf's instruction indexes and relocation
 * offsets divided by 8. The 16-byte `ld_imm64` fills two slots:
 *
 *   insns[i]     the instruction: code 0x18, `size: 16`, `imm` = low 32 bits,
 *                `imm64` = the whole 64-bit value (unsigned)
 *   insns[i + 1] its second half, marked `continuation: true`, `size: 8`,
 *                `imm` = high 32 bits, and the raw code/dst/src/off of the
 *                second 8 bytes (zero in any valid program; kept so that a
 *                round trip is exact)
 *
 * Walking a program instruction by instruction is therefore
 * `for (let i = 0; i < insns.length; i += insns[i].size / 8)`.
 */
import {
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_ALU64,
  BPF_AND,
  BPF_ARSH,
  BPF_ATOMIC,
  BPF_CALL,
  BPF_CMPXCHG,
  BPF_DIV,
  BPF_DW,
  BPF_END,
  BPF_EXIT,
  BPF_FETCH,
  BPF_IND,
  BPF_JA,
  BPF_JCOND,
  BPF_JMP,
  BPF_JMP32,
  BPF_LD,
  BPF_LDX,
  BPF_LOAD_ACQ,
  BPF_LSH,
  BPF_MEM,
  BPF_MEMSX,
  BPF_MOD,
  BPF_MOV,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_HELPER_CALL,
  BPF_PSEUDO_KFUNC_CALL,
  BPF_PSEUDO_MAP_IDX_VALUE,
  BPF_RSH,
  BPF_ST,
  BPF_STORE_REL,
  BPF_STX,
  BPF_SUB,
  BPF_X,
  BPF_XCHG,
  BPF_XOR,
  LD_IMM64,
  insnClass,
  insnMode,
  insnOp,
  insnSizeField,
  insnSource,
} from './opcodes.js';

export interface Insn {
  /** The opcode byte. */
  code: number;
  /** Destination register field, 0-15 (r10 is the frame pointer; 11-15 are not registers). */
  dst: number;
  /** Source register field, 0-15 (also a "pseudo" selector for ld_imm64 and call). */
  src: number;
  /** Signed 16-bit offset. */
  off: number;
  /** Signed 32-bit immediate. */
  imm: number;
  /** Bytes the instruction occupies: 16 for ld_imm64, 8 otherwise (also for
   * the continuation slot of an ld_imm64). */
  size: 8 | 16;
  /** ld_imm64 only: the 64-bit immediate as an unsigned value,
   * `(u32)imm | (u32)next.imm << 32`. When set, encoding requires it to agree
   * with `imm` and with the continuation's `imm`; see `setImm64`. */
  imm64?: bigint;
  /** Marks the second slot of an ld_imm64. */
  continuation?: true;
}

/**
 * What an instruction is, by the ISA (RFC 9669 plus the Linux extensions
 * through cpu v4, arena casts, may_goto, callx, load-acquire/store-release).
 *
 * Only the fields that select an operation are checked (the opcode byte; off
 * for division, modulo and register moves; imm for byte swaps and atomics;
 * src for ld_imm64, call and may_goto). Fields that the ISA reserves as zero
 * (src of an immediate ALU instruction, say) are the verifier's business and
 * do not make an instruction unknown.
 */
export type InsnKind =
  /** add/sub/mul/div/sdiv/or/and/lsh/rsh/neg/mod/smod/xor/mov/arsh, 32 or 64 bit */
  | 'alu'
  /** mov with sign extension (ALU off 8/16, ALU64 off 8/16/32) */
  | 'movsx'
  /** ALU64 mov with off 1: arena address-space cast */
  | 'addr_space_cast'
  /** le/be (ALU class) and bswap (ALU64 class) */
  | 'byteswap'
  /** the 16-byte 64-bit immediate load (any pseudo source 0-6) */
  | 'ld_imm64'
  /** the second slot of an ld_imm64 */
  | 'ld_imm64_continuation'
  /** legacy packet loads */
  | 'ld_abs'
  | 'ld_ind'
  /** load from memory, zero-extending or (MEMSX) sign-extending */
  | 'ldx'
  | 'ldsx'
  /** store of an immediate / of a register */
  | 'st'
  | 'stx'
  /** add/or/and/xor (with or without fetch), xchg, cmpxchg */
  | 'atomic'
  | 'load_acquire'
  | 'store_release'
  /** goto (JMP class, 16-bit offset) and gotol (JMP32 class, 32-bit imm) */
  | 'ja'
  /** conditional jumps, 32 or 64 bit, immediate or register */
  | 'jcond'
  | 'may_goto'
  | 'call_helper'
  | 'call_local'
  | 'call_kfunc'
  | 'callx'
  | 'exit'
  | 'unknown';

const ARITH_OPS = new Set([BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH, BPF_MOD, BPF_XOR, BPF_ARSH]);
const ATOMIC_RMW = new Set([BPF_ADD, BPF_OR, BPF_AND, BPF_XOR]);

/** Classify an instruction; 'unknown' when the ISA assigns no meaning to it. */
export function insnKind(insn: Insn): InsnKind {
  if (insn.continuation) return 'ld_imm64_continuation';
  const code = insn.code;
  const cls = insnClass(code);
  switch (cls) {
    case BPF_ALU:
    case BPF_ALU64:
      return aluKind(insn, cls);
    case BPF_JMP:
    case BPF_JMP32:
      return jmpKind(insn, cls);
    case BPF_LD:
      if (code === LD_IMM64) return insn.src <= BPF_PSEUDO_MAP_IDX_VALUE ? 'ld_imm64' : 'unknown';
      if (insnSizeField(code) === BPF_DW) return 'unknown';
      if (insnMode(code) === BPF_ABS) return 'ld_abs';
      if (insnMode(code) === BPF_IND) return 'ld_ind';
      return 'unknown';
    case BPF_LDX:
      if (insnMode(code) === BPF_MEM) return 'ldx';
      if (insnMode(code) === BPF_MEMSX && insnSizeField(code) !== BPF_DW) return 'ldsx';
      return 'unknown';
    case BPF_ST:
      return insnMode(code) === BPF_MEM ? 'st' : 'unknown';
    default: // BPF_STX
      if (insnMode(code) === BPF_MEM) return 'stx';
      if (insnMode(code) === BPF_ATOMIC) return atomicKind(insn);
      return 'unknown';
  }
}

function aluKind(insn: Insn, cls: number): InsnKind {
  const op = insnOp(insn.code);
  const x = insnSource(insn.code) === BPF_X;
  if (op === BPF_DIV || op === BPF_MOD) return insn.off === 0 || insn.off === 1 ? 'alu' : 'unknown';
  if (ARITH_OPS.has(op)) return 'alu';
  if (op === BPF_NEG) return x ? 'unknown' : 'alu';
  if (op === BPF_MOV) {
    if (!x || insn.off === 0) return 'alu';
    if (insn.off === 8 || insn.off === 16) return 'movsx';
    if (cls === BPF_ALU64 && insn.off === 32) return 'movsx';
    if (cls === BPF_ALU64 && insn.off === 1) return 'addr_space_cast';
    return 'unknown';
  }
  if (op === BPF_END) {
    if (cls === BPF_ALU64 && x) return 'unknown';
    return insn.imm === 16 || insn.imm === 32 || insn.imm === 64 ? 'byteswap' : 'unknown';
  }
  return 'unknown';
}

function jmpKind(insn: Insn, cls: number): InsnKind {
  const op = insnOp(insn.code);
  const x = insnSource(insn.code) === BPF_X;
  switch (op) {
    case BPF_JA:
      return x ? 'unknown' : 'ja';
    case BPF_CALL:
      if (cls !== BPF_JMP) return 'unknown';
      if (x) return 'callx';
      if (insn.src === BPF_PSEUDO_HELPER_CALL) return 'call_helper';
      if (insn.src === BPF_PSEUDO_CALL) return 'call_local';
      if (insn.src === BPF_PSEUDO_KFUNC_CALL) return 'call_kfunc';
      return 'unknown';
    case BPF_EXIT:
      return cls === BPF_JMP && !x ? 'exit' : 'unknown';
    case BPF_JCOND:
      return cls === BPF_JMP && !x && insn.src === 0 ? 'may_goto' : 'unknown';
    case 0xf0:
      return 'unknown';
    default:
      return 'jcond';
  }
}

function atomicKind(insn: Insn): InsnKind {
  const size = insnSizeField(insn.code);
  const imm = insn.imm;
  if (imm === BPF_LOAD_ACQ) return 'load_acquire';
  if (imm === BPF_STORE_REL) return 'store_release';
  if (size !== BPF_DW && size !== 0 /* BPF_W */) return 'unknown';
  if (imm === BPF_XCHG || imm === BPF_CMPXCHG) return 'atomic';
  if ((imm & ~(0xf0 | BPF_FETCH)) === 0 && ATOMIC_RMW.has(imm & 0xf0)) return 'atomic';
  return 'unknown';
}

/** An 8-byte instruction from its fields. */
export function makeInsn(code: number, dst = 0, src = 0, off = 0, imm = 0): Insn {
  return { code: code & 0xff, dst: dst & 0xf, src: src & 0xf, off: (off << 16) >> 16, imm: imm | 0, size: 8 };
}

/**
 * The two slots of `ld_imm64 dst, value` (src selects the pseudo kind:
 * BPF_PSEUDO_MAP_FD and so on). `value` is taken modulo 2^64.
 */
export function ldImm64(dst: number, value: bigint | number, src = 0): [Insn, Insn] {
  const v = BigInt.asUintN(64, BigInt(value));
  return [
    { code: LD_IMM64, dst: dst & 0xf, src: src & 0xf, off: 0, imm: Number(BigInt.asIntN(32, v)), size: 16, imm64: v },
    { code: 0, dst: 0, src: 0, off: 0, imm: Number(BigInt.asIntN(32, v >> 32n)), size: 8, continuation: true },
  ];
}

/** Set the 64-bit immediate of the ld_imm64 at `insns[index]`, keeping
 * `imm`, `imm64` and the continuation's `imm` in agreement. */
export function setImm64(insns: Insn[], index: number, value: bigint | number): void {
  const head = insns[index];
  if (head === undefined || head.code !== LD_IMM64) throw new RangeError(`instruction ${index} is not an ld_imm64`);
  const v = BigInt.asUintN(64, BigInt(value));
  head.imm64 = v;
  head.imm = Number(BigInt.asIntN(32, v));
  const tail = insns[index + 1];
  if (tail !== undefined && tail.continuation) tail.imm = Number(BigInt.asIntN(32, v >> 32n));
}

/** The 64-bit immediate of an ld_imm64 pair, from the slot fields. */
export function imm64Of(head: Insn, tail: Insn | undefined): bigint {
  return (BigInt(head.imm >>> 0) | (BigInt((tail?.imm ?? 0) >>> 0) << 32n)) & 0xffff_ffff_ffff_ffffn;
}

/**
 * The slot an instruction transfers control to: for goto/gotol, conditional
 * jumps and may_goto the jump target, for a local call (`call` with src 1)
 * the callee's first slot; undefined for everything else. Targets are
 * relative to the next slot and may fall outside the program.
 */
export function branchTarget(insns: readonly Insn[], index: number): number | undefined {
  const insn = insns[index];
  if (insn === undefined) return undefined;
  const kind = insnKind(insn);
  if (kind === 'ja') return index + 1 + (insnClass(insn.code) === BPF_JMP32 ? insn.imm : insn.off);
  if (kind === 'jcond' || kind === 'may_goto') return index + 1 + insn.off;
  if (kind === 'call_local') return index + 1 + insn.imm;
  return undefined;
}
