/**
 * Instruction patching (libbpf's bpf_core_patch_insn and
 * bpf_core_poison_insn).
 */
import {
  BPF_ALU,
  BPF_ALU64,
  BPF_B,
  BPF_CALL,
  BPF_DW,
  BPF_H,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_ST,
  BPF_STX,
  BPF_W,
  LD_IMM64,
  insnClass,
  insnMode,
  insnSizeField,
  insnSource,
  type Insn,
} from '../insn/index.js';
import { ReloError, type ReloRes } from './calc.js';

/** The imm of a poisoned instruction: 0xbad2310 ("bad relo"). The verifier
 * reports it as `invalid func unknown#195896080` when it is reachable. */
export const POISON_IMM = 195896080;

export interface PatchOutcome {
  poisoned: boolean;
  /** libbpf's debug line for the patch, without the "prog 'X': relo #N: " prefix. */
  log: string[];
  /** What the instruction held before (imm, off or imm64). */
  before?: bigint;
  /** LDX/ST/STX whose size was changed: [old, new] in bytes. */
  memSize?: [number, number];
}

function poisonSlot(insns: Insn[], idx: number): void {
  insns[idx] = { code: BPF_JMP | BPF_CALL, dst: 0, src: 0, off: 0, imm: POISON_IMM, size: 8 };
}

/** Replace the instruction (both slots of an ld_imm64) with `call 0xbad2310`. */
export function poisonInsn(insns: Insn[], idx: number, log: string[]): void {
  if (insns[idx].code === LD_IMM64 && !insns[idx].continuation) {
    log.push(`substituting insn #${idx + 1} w/ invalid insn`);
    if (idx + 1 < insns.length) poisonSlot(insns, idx + 1);
  }
  log.push(`substituting insn #${idx} w/ invalid insn`);
  poisonSlot(insns, idx);
}

function bytesOfSize(code: number): number {
  switch (insnSizeField(code)) {
    case BPF_DW:
      return 8;
    case BPF_W:
      return 4;
    case BPF_H:
      return 2;
    default:
      return 1;
  }
}

function sizeOfBytes(n: number): number {
  switch (n) {
    case 8:
      return BPF_DW;
    case 4:
      return BPF_W;
    case 2:
      return BPF_H;
    case 1:
      return BPF_B;
    default:
      return -1;
  }
}

const u64 = (v: number | bigint): bigint => BigInt.asUintN(64, BigInt(v));

/**
 * Patch `insns[idx]` (indices relative to the program, as in libbpf's log)
 * with the relocation result. Throws ReloError in libbpf's wording when
 * libbpf would fail.
 */
export function patchInsn(insns: Insn[], idx: number, res: ReloRes, base = 0): PatchOutcome {
  const at = base + idx;
  const insn = insns[at];
  const log: string[] = [];
  if (insn === undefined) throw new ReloError(`insn #${idx} is outside the program`);
  const poison = (): PatchOutcome => {
    // poisonInsn numbers in section slots; rewrite to program-relative
    const l: string[] = [];
    poisonInsn(insns, at, l);
    for (const s of l) log.push(s.replace(/#(\d+)/, (_, n: string) => `#${Number(n) - base}`));
    return { poisoned: true, log };
  };
  if (res.poison) return poison();

  const orig = res.origVal;
  const neu = res.newVal;
  const cls = insn.continuation ? BPF_LD : insnClass(insn.code);
  switch (cls) {
    case BPF_ALU:
    case BPF_ALU64: {
      if (insnSource(insn.code) !== BPF_K) throw new ReloError(`insn #${idx} (ALU/ALU64) has a register source`);
      if (res.validate && u64(insn.imm) !== orig) {
        throw new ReloError(`unexpected insn #${idx} (ALU/ALU64) value: got ${insn.imm >>> 0}, exp ${orig} -> ${neu}`);
      }
      const before = insn.imm;
      insn.imm = Number(BigInt.asIntN(32, neu));
      log.push(`patched insn #${idx} (ALU/ALU64) imm ${u64(before)} -> ${neu}`);
      return { poisoned: false, log, before: u64(before) };
    }
    case BPF_LDX:
    case BPF_ST:
    case BPF_STX: {
      if (res.validate && u64(insn.off) !== orig) {
        throw new ReloError(`unexpected insn #${idx} (LDX/ST/STX) value: got ${insn.off >>> 0}, exp ${orig} -> ${neu}`);
      }
      if (neu > 32767n) throw new ReloError(`insn #${idx} (LDX/ST/STX) value too big: ${neu}`);
      if (res.failMemszAdjust) {
        log.push(
          `insn #${idx} (LDX/ST/STX) accesses field incorrectly. Make sure you are accessing pointers, unsigned integers, or fields of matching type and size.`,
        );
        return poison();
      }
      const before = insn.off;
      insn.off = Number(neu);
      log.push(`patched insn #${idx} (LDX/ST/STX) off ${u64(before)} -> ${neu}`);
      const out: PatchOutcome = { poisoned: false, log, before: u64(before) };
      if (res.newSz !== res.origSz) {
        const have = bytesOfSize(insn.code);
        if (have !== res.origSz) throw new ReloError(`insn #${idx} (LDX/ST/STX) unexpected mem size: got ${have}, exp ${res.origSz}`);
        const sz = sizeOfBytes(res.newSz);
        if (sz < 0) throw new ReloError(`insn #${idx} (LDX/ST/STX) invalid new mem size: ${res.newSz}`);
        insn.code = insnMode(insn.code) | sz | insnClass(insn.code);
        log.push(`patched insn #${idx} (LDX/ST/STX) mem_sz ${res.origSz} -> ${res.newSz}`);
        out.memSize = [res.origSz, res.newSz];
      }
      return out;
    }
    case BPF_LD: {
      const tail = insns[at + 1];
      if (
        insn.continuation ||
        insn.code !== LD_IMM64 ||
        insn.src !== 0 ||
        insn.off !== 0 ||
        tail === undefined ||
        tail.code !== 0 ||
        tail.dst !== 0 ||
        tail.src !== 0 ||
        tail.off !== 0
      ) {
        throw new ReloError(`insn #${idx} (LDIMM64) has unexpected form`);
      }
      const imm = u64(insn.imm >>> 0) | (u64(tail.imm >>> 0) << 32n);
      if (res.validate && imm !== orig) {
        throw new ReloError(`unexpected insn #${idx} (LDIMM64) value: got ${imm}, exp ${orig} -> ${neu}`);
      }
      insn.imm = Number(BigInt.asIntN(32, neu));
      tail.imm = Number(BigInt.asIntN(32, neu >> 32n));
      insn.imm64 = neu;
      log.push(`patched insn #${idx} (LDIMM64) imm64 ${imm} -> ${neu}`);
      return { poisoned: false, log, before: imm };
    }
    default:
      throw new ReloError(
        `trying to relocate unrecognized insn #${idx}, code:0x${insn.code.toString(16)}, src:0x${insn.src.toString(16)}, dst:0x${insn.dst.toString(16)}, off:0x${(insn.off & 0xffff).toString(16)}, imm:0x${(insn.imm >>> 0).toString(16)}`,
      );
  }
}
