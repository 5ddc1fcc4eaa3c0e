/**
 * Which instructions the verifier can reach once CO-RE values are patched
 * in.
 *
 * A poisoned instruction (libbpf's `call 0xbad2310`) only fails a load when
 * the verifier walks into it. The usual CO-RE pattern guards a read with
 * `if (bpf_core_field_exists(...))`: after relocation the guard is a
 * constant (`r1 = 0; if r1 == 0 goto …`), the verifier knows the register
 * and never explores the dead branch. This pass does the same reasoning:
 * constant propagation over each function's control-flow graph (registers
 * and 8-byte stack slots at fixed frame offsets), branches with two known
 * operands follow only the taken edge, and sub-programs count only when a
 * reachable call or address-taking instruction names them.
 *
 * It is conservative where the verifier is smarter (values through memory
 * other than plain stack spills, range tracking): such code counts as
 * reachable, so `bpfkit core` may report a poisoned instruction the kernel
 * would have pruned, never the other way round.
 */
import { decodeInsns, type Insn } from '../insn/index.js';
import {
  BPF_ALU,
  BPF_ALU64,
  BPF_CALL,
  BPF_DW,
  BPF_EXIT,
  BPF_JA,
  BPF_JCOND,
  BPF_JMP,
  BPF_JMP32,
  BPF_LD,
  BPF_LDX,
  BPF_MEM,
  BPF_PSEUDO_CALL,
  BPF_PSEUDO_FUNC,
  BPF_ST,
  BPF_STX,
  insnClass,
  insnMode,
  insnOp,
  insnSizeField,
} from '../insn/opcodes.js';
import type { BpfObject } from '../object/index.js';
import { aluResult, branchOutcome, cloneState, joinInto, type State, type Val } from './reach-domain.js';

interface Func {
  name: string;
  sectionIndex: number;
  insnOffset: number;
  insnCount: number;
}


/** Reachability of every instruction slot of an object's code sections. */
export interface Reachability {
  /** Whether the slot (section-relative, 8-byte units) can execute. */
  reachable(sectionIndex: number, slot: number): boolean;
  /** Names of functions (programs and sub-programs) that can run. */
  functions: ReadonlySet<string>;
}

/**
 * Compute what can run in `obj` when its code is `insnsBySection` (the
 * relocated instructions; sections not in the map are read from the ELF).
 * Every program is an entry point, whether it autoloads or not.
 */
export function analyzeReachability(obj: BpfObject, insnsBySection: ReadonlyMap<number, Insn[]>): Reachability {
  const funcs: Func[] = [...obj.programs, ...obj.subprograms];
  const byName = new Map<string, Func>();
  for (const f of funcs) if (!byName.has(f.name)) byName.set(f.name, f);
  // Calls and address-taking resolved through ELF relocations (calls
  // between sections): "function name:insn" -> callee name.
  const relocTargets = new Map<string, string>();
  for (const r of obj.relocations) {
    if (r.kind === 'subprog_call' || r.kind === 'func_addr') relocTargets.set(`${r.program}:${r.insn}`, r.target);
  }
  const sectionInsns = new Map<number, Insn[]>(insnsBySection);
  const insnsOf = (secIdx: number): Insn[] => {
    let insns = sectionInsns.get(secIdx);
    if (insns === undefined) {
      const sec = obj.elf.sections[secIdx]!;
      insns = decodeInsns(sec.data, obj.littleEndian, { file: obj.file, section: sec.name, allowUnknown: true });
      sectionInsns.set(secIdx, insns);
    }
    return insns;
  };
  const funcAt = (secIdx: number, slot: number): Func | undefined =>
    funcs.find((f) => f.sectionIndex === secIdx && f.insnOffset === slot);

  const live = new Map<number, Set<number>>();
  const done = new Set<Func>();
  const queue: Func[] = [...obj.programs];
  const reached = new Set<string>();
  while (queue.length > 0) {
    const f = queue.pop()!;
    if (done.has(f)) continue;
    done.add(f);
    reached.add(f.name);
    const slots = live.get(f.sectionIndex) ?? new Set<number>();
    live.set(f.sectionIndex, slots);
    const callees = analyzeFunction(f, insnsOf(f.sectionIndex), slots, (local, insn) => {
      const viaReloc = relocTargets.get(`${f.name}:${local}`);
      if (viaReloc !== undefined) return byName.get(viaReloc);
      // Same-section call or address: the target slot is relative to the
      // next instruction (ld_imm64's imm for BPF_PSEUDO_FUNC likewise).
      return funcAt(f.sectionIndex, f.insnOffset + local + 1 + insn.imm);
    });
    for (const c of callees) if (!done.has(c)) queue.push(c);
  }
  return {
    reachable: (secIdx, slot) => live.get(secIdx)?.has(slot) ?? false,
    functions: reached,
  };
}

/**
 * Walk one function from its entry with nothing known; record its live
 * slots (section-relative) and return the functions it calls or takes the
 * address of from live code.
 */
function analyzeFunction(
  f: Func,
  insns: Insn[],
  liveSlots: Set<number>,
  callee: (local: number, insn: Insn) => Func | undefined,
): Func[] {
  const n = Math.min(f.insnCount, Math.max(0, insns.length - f.insnOffset));
  const states: (State | undefined)[] = new Array(n);
  const out: Func[] = [];
  const work: number[] = [];
  const flow = (to: number, s: State): void => {
    if (to < 0 || to >= n) return; // the verifier refuses jumps out of the function
    const cur = states[to];
    if (cur === undefined) {
      states[to] = s;
      work.push(to);
    } else if (joinInto(cur, s)) {
      work.push(to);
    }
  };
  flow(0, { regs: new Array<Val>(11).fill(undefined), stack: new Map() });
  while (work.length > 0) {
    const i = work.pop()!;
    const insn = insns[f.insnOffset + i]!;
    // a jump into the second half of an ld_imm64 leads nowhere
    if (insn.continuation === true) continue;
    const s = cloneState(states[i]!);
    const next = i + insn.size / 8;
    const cls = insnClass(insn.code);
    if (cls === BPF_JMP || cls === BPF_JMP32) {
      const op = insnOp(insn.code);
      if (op === BPF_EXIT && cls === BPF_JMP) continue;
      if (op === BPF_CALL && cls === BPF_JMP) {
        if (insn.src === BPF_PSEUDO_CALL) {
          const c = callee(i, insn);
          if (c !== undefined) out.push(c);
        }
        // Helpers, kfuncs, bpf-to-bpf calls and callx clobber r0-r5 and may
        // write through stack pointers they were given.
        for (let r = 0; r <= 5; r++) s.regs[r] = undefined;
        s.stack.clear();
        flow(next, s);
        continue;
      }
      if (op === BPF_JA) {
        flow(next + (cls === BPF_JMP32 ? insn.imm : insn.off), s);
        continue;
      }
      if (op === BPF_JCOND && cls === BPF_JMP) {
        // may_goto: either way
        flow(next, s);
        flow(next + insn.off, cloneState(s));
        continue;
      }
      const taken = branchOutcome(insn, s, cls === BPF_JMP32);
      if (taken !== false) flow(next + insn.off, taken === true ? s : cloneState(s));
      if (taken !== true) flow(next, s);
      continue;
    }
    step(insn, s, i, callee, out);
    flow(next, s);
  }
  for (let i = 0; i < n; i++) if (states[i] !== undefined) liveSlots.add(f.insnOffset + i);
  return out;
}

/** Effect of a non-jump instruction on the state. */
function step(insn: Insn, s: State, local: number, callee: (local: number, insn: Insn) => Func | undefined, out: Func[]): void {
  const cls = insnClass(insn.code);
  const dst = insn.dst;
  const setReg = (v: Val): void => {
    if (dst <= 10) s.regs[dst] = v;
  };
  switch (cls) {
    case BPF_ALU:
    case BPF_ALU64:
      setReg(aluResult(insn, s, cls === BPF_ALU64));
      return;
    case BPF_LD:
      if (insn.size === 16) {
        if (insn.src === 0 && insn.imm64 !== undefined) setReg(insn.imm64);
        else {
          if (insn.src === BPF_PSEUDO_FUNC) {
            const c = callee(local, insn);
            if (c !== undefined) out.push(c);
          }
          setReg(undefined);
        }
      } else {
        // LD_ABS/LD_IND: r0 result, r1-r5 scratched
        for (let r = 0; r <= 5; r++) s.regs[r] = undefined;
      }
      return;
    case BPF_LDX:
      if (insnMode(insn.code) === BPF_MEM && insnSizeField(insn.code) === BPF_DW && insn.src === 10) {
        setReg(s.stack.get(insn.off));
      } else setReg(undefined);
      return;
    case BPF_ST:
    case BPF_STX: {
      if (dst !== 10) {
        // A store through another register may hit the stack (a pointer
        // derived from r10); forget every spill.
        s.stack.clear();
      } else if (insnMode(insn.code) === BPF_MEM && insnSizeField(insn.code) === BPF_DW) {
        const v = cls === BPF_ST ? BigInt.asUintN(64, BigInt(insn.imm)) : insn.src <= 10 ? s.regs[insn.src] : undefined;
        if (v === undefined) s.stack.delete(insn.off);
        else s.stack.set(insn.off, v);
      } else {
        // Narrower stores and atomics overlap some 8-byte slot.
        for (const off of [...s.stack.keys()]) if (off <= insn.off + 7 && off + 7 >= insn.off - 7) s.stack.delete(off);
      }
      if (cls === BPF_STX && insnMode(insn.code) !== BPF_MEM) {
        // atomics with fetch write the source register (cmpxchg writes r0)
        if (insn.src <= 10) s.regs[insn.src] = undefined;
        s.regs[0] = undefined;
      }
      return;
    }
    default:
      return;
  }
}
