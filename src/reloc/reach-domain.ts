/**
 * The abstract values of the reachability walk (reach.ts): each register
 * and 8-byte stack slot is a known 64-bit constant or unknown, and ALU
 * results and branch outcomes are computed when their inputs are known.
 */
import type { Insn } from '../insn/index.js';
import {
  BPF_ADD,
  BPF_AND,
  BPF_ARSH,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JLE,
  BPF_JLT,
  BPF_JNE,
  BPF_JSET,
  BPF_JSGE,
  BPF_JSGT,
  BPF_JSLE,
  BPF_JSLT,
  BPF_LSH,
  BPF_MOV,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RSH,
  BPF_SUB,
  BPF_X,
  BPF_XOR,
  insnOp,
  insnSource,
} from '../insn/opcodes.js';

/** A register or stack slot: a known 64-bit value, or undefined (unknown). */
export type Val = bigint | undefined;

/** Abstract state before an instruction: r0..r10 and spilled constants. */
export interface State {
  regs: Val[];
  /** Frame offset (negative, 8-aligned) -> value stored there with an 8-byte store. */
  stack: Map<number, bigint>;
}

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const S64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const U32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const S32 = (v: bigint): bigint => BigInt.asIntN(32, v);

/** Result of an ALU instruction when its inputs are known. */
export function aluResult(insn: Insn, s: State, is64: boolean): Val {
  const op = insnOp(insn.code);
  const useReg = insnSource(insn.code) === BPF_X;
  // Only plain moves and arithmetic (off 0) are evaluated; movsx, sdiv,
  // byte swaps and arena casts leave the register unknown.
  if (insn.off !== 0) return undefined;
  const srcV: Val = useReg ? (insn.src <= 10 ? s.regs[insn.src] : undefined) : U64(BigInt(insn.imm));
  const dstV: Val = insn.dst <= 10 ? s.regs[insn.dst] : undefined;
  if (op === BPF_MOV) {
    if (srcV === undefined) return undefined;
    return is64 ? srcV : U32(srcV);
  }
  if (op === BPF_NEG) return dstV === undefined ? undefined : is64 ? U64(-dstV) : U32(-dstV);
  if (srcV === undefined || dstV === undefined) return undefined;
  const width = is64 ? 64 : 32;
  const a = is64 ? dstV : U32(dstV);
  const b = is64 ? srcV : U32(srcV);
  const wrap = (v: bigint): bigint => (is64 ? U64(v) : U32(v));
  const shift = b & BigInt(width - 1);
  switch (op) {
    case BPF_ADD:
      return wrap(a + b);
    case BPF_SUB:
      return wrap(a - b);
    case BPF_MUL:
      return wrap(a * b);
    case BPF_AND:
      return a & b;
    case BPF_OR:
      return a | b;
    case BPF_XOR:
      return a ^ b;
    case BPF_LSH:
      return wrap(a << shift);
    case BPF_RSH:
      return a >> shift;
    case BPF_ARSH:
      return wrap((is64 ? S64(a) : S32(a)) >> shift);
    default:
      return undefined;
  }
}

/** true: always taken; false: never; undefined: depends on unknowns. */
export function branchOutcome(insn: Insn, s: State, is32: boolean): boolean | undefined {
  const useReg = insnSource(insn.code) === BPF_X;
  const dstV = insn.dst <= 10 ? s.regs[insn.dst] : undefined;
  const srcV: Val = useReg ? (insn.src <= 10 ? s.regs[insn.src] : undefined) : U64(BigInt(insn.imm));
  if (dstV === undefined || srcV === undefined) return undefined;
  const ua = is32 ? U32(dstV) : dstV;
  const ub = is32 ? U32(srcV) : srcV;
  const sa = is32 ? S32(dstV) : S64(dstV);
  const sb = is32 ? S32(srcV) : S64(srcV);
  switch (insnOp(insn.code)) {
    case BPF_JEQ:
      return ua === ub;
    case BPF_JNE:
      return ua !== ub;
    case BPF_JGT:
      return ua > ub;
    case BPF_JGE:
      return ua >= ub;
    case BPF_JLT:
      return ua < ub;
    case BPF_JLE:
      return ua <= ub;
    case BPF_JSET:
      return (ua & ub) !== 0n;
    case BPF_JSGT:
      return sa > sb;
    case BPF_JSGE:
      return sa >= sb;
    case BPF_JSLT:
      return sa < sb;
    case BPF_JSLE:
      return sa <= sb;
    default:
      return undefined;
  }
}

export function cloneState(s: State): State {
  return { regs: s.regs.slice(), stack: new Map(s.stack) };
}

/** Merge `s` into `into` (values that differ become unknown); true when
 * `into` lost information, so its successors need another visit. */
export function joinInto(into: State, s: State): boolean {
  let changed = false;
  for (let r = 0; r < into.regs.length; r++) {
    if (into.regs[r] !== undefined && into.regs[r] !== s.regs[r]) {
      into.regs[r] = undefined;
      changed = true;
    }
  }
  for (const [off, v] of into.stack) {
    if (s.stack.get(off) !== v) {
      into.stack.delete(off);
      changed = true;
    }
  }
  return changed;
}
