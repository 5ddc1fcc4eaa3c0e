/**
 * The constant evaluation behind the reachability walk, against the ISA's
 * semantics (RFC 9669): 32-bit ALU results are zero-extended, JMP32 compares
 * the low halves, signed comparisons read two's complement.
 */
import { describe, expect, it } from 'vitest';
import type { Insn } from '../insn/index.js';
import { aluResult, branchOutcome, joinInto, type State } from './reach-domain.js';

const K = 0x00;
const X = 0x08;
const insn = (code: number, dst: number, src: number, imm: number, off = 0): Insn => ({ code, dst, src, off, imm, size: 8 });
const state = (regs: Record<number, bigint>): State => {
  const r = new Array<bigint | undefined>(11).fill(undefined);
  for (const [k, v] of Object.entries(regs)) r[Number(k)] = v;
  return { regs: r, stack: new Map() };
};
const ALU64 = 0x07;
const ALU = 0x04;
const JMP = 0x05;
const JMP32 = 0x06;

describe('aluResult', () => {
  it('mov, add with wrap-around, 32-bit results zero-extended', () => {
    expect(aluResult(insn(ALU64 | 0xb0 | K, 1, 0, -1), state({}), true)).toBe(0xffffffffffffffffn);
    expect(aluResult(insn(ALU | 0xb0 | K, 1, 0, -1), state({}), false)).toBe(0xffffffffn);
    expect(aluResult(insn(ALU64 | 0x00 | K, 1, 0, 1), state({ 1: 0xffffffffffffffffn }), true)).toBe(0n);
    expect(aluResult(insn(ALU | 0x00 | K, 1, 0, 1), state({ 1: 0x1ffffffffn }), false)).toBe(0n);
  });
  it('shifts mask the count; arsh keeps the sign; unknown inputs stay unknown', () => {
    expect(aluResult(insn(ALU64 | 0x60 | K, 1, 0, 65), state({ 1: 1n }), true)).toBe(2n);
    expect(aluResult(insn(ALU64 | 0xc0 | K, 1, 0, 4), state({ 1: 0xfffffffffffffff0n }), true)).toBe(0xffffffffffffffffn);
    expect(aluResult(insn(ALU64 | 0x00 | X, 1, 2, 0), state({ 1: 5n }), true)).toBeUndefined();
    expect(aluResult(insn(ALU64 | 0xb0 | X, 1, 2, 0, 8), state({ 2: 0x80n }), true)).toBeUndefined(); // movsx
  });
});

describe('branchOutcome', () => {
  it('equality and unsigned order on 64 and 32 bits', () => {
    expect(branchOutcome(insn(JMP | 0x10 | K, 1, 0, 0), state({ 1: 0n }), false)).toBe(true);
    expect(branchOutcome(insn(JMP | 0x10 | K, 1, 0, 0), state({ 1: 0x100000000n }), false)).toBe(false);
    expect(branchOutcome(insn(JMP32 | 0x10 | K, 1, 0, 0), state({ 1: 0x100000000n }), true)).toBe(true);
    expect(branchOutcome(insn(JMP | 0x20 | K, 1, 0, -1), state({ 1: 5n }), false)).toBe(false); // 5 > 2^64-1
  });
  it('signed comparisons and jset; unknown operands give no answer', () => {
    expect(branchOutcome(insn(JMP | 0x60 | K, 1, 0, -1), state({ 1: 0n }), false)).toBe(true); // 0 s> -1
    expect(branchOutcome(insn(JMP32 | 0xc0 | K, 1, 0, 0), state({ 1: 0x80000000n }), true)).toBe(true); // s< 0 in 32 bits
    expect(branchOutcome(insn(JMP | 0x40 | K, 1, 0, 4), state({ 1: 6n }), false)).toBe(true);
    expect(branchOutcome(insn(JMP | 0x10 | X, 1, 2, 0), state({ 1: 1n }), false)).toBeUndefined();
  });
});

describe('joinInto', () => {
  it('keeps agreeing values, forgets differing ones, and says whether anything changed', () => {
    const a = state({ 1: 1n, 2: 2n });
    a.stack.set(-8, 7n);
    const b = state({ 1: 1n, 2: 3n });
    b.stack.set(-8, 7n);
    expect(joinInto(a, b)).toBe(true);
    expect(a.regs[1]).toBe(1n);
    expect(a.regs[2]).toBeUndefined();
    expect(a.stack.get(-8)).toBe(7n);
    expect(joinInto(a, b)).toBe(false);
  });
});
