/**
 * The disassembler: instruction text in the syntax of `llvm-objdump-19 -d`.
 *
 * llvm-objdump's BPF decoder is reproduced field by field, including what it
 * ignores and what it refuses (both found by running llvm-objdump-19 over
 * every opcode and every single-bit change of every field; see
 * objdump.test.ts, which keeps checking this on random instructions):
 *
 * - Registers above r11 are refused (`<unknown>`) wherever a register is
 *   printed; fields that are not printed are not checked, except
 *   - off must be 0 for ALU operations (1 selects sdiv/smod; 8/16/32 movsx
 *     and 1 addr_space_cast for mov), and for ld_imm64;
 *   - imm must be exactly 16/32/64 for byte swaps and 0 for exit;
 *   - for 64-bit atomics only the low byte of imm counts: 0x01 in the low
 *     nibble means fetch, any other low nibble a plain `lock` operation.
 * - Numbers are hex with a sign (`-0x8`, `0x10`), offsets as `+ 0x8` /
 *   `- 0x8` in memory operands and `+0x8` / `-0x8` in jumps; the ld_imm64
 *   constant is printed as a signed 64-bit number followed by `ll`; an
 *   ld_imm64 with a pseudo source as `ld_pseudo\trN, src, imm` (unsigned imm,
 *   the upper half not shown).
 * - Without `alu32` (llvm-objdump's default) 32-bit loads/stores name `rN`
 *   registers and the only 32-bit atomic it knows is `lock ... += rN`; with
 *   `alu32` (as `--mattr=+alu32`) those use `wN` and all 32-bit atomics exist.
 * - LLVM 19 knows no load-acquire/store-release: it shows them as `<unknown>`
 *   (8/16-bit) or as `lock ... += ` (32/64-bit, since it ignores imm bits 8 and
 *   up). `extended` prints them (and every 32-bit atomic) by their meaning in
 *   LLVM 20's syntax instead.
 */
import { imm64Of, type Insn } from './insn.js';
import {
  BPF_ABS,
  BPF_ALU,
  BPF_ALU64,
  BPF_ATOMIC,
  BPF_CALL,
  BPF_DIV,
  BPF_DW,
  BPF_END,
  BPF_EXIT,
  BPF_IND,
  BPF_JA,
  BPF_JCOND,
  BPF_JMP,
  BPF_JMP32,
  BPF_LD,
  BPF_LDX,
  BPF_LOAD_ACQ,
  BPF_MEM,
  BPF_MEMSX,
  BPF_MOD,
  BPF_MOV,
  BPF_NEG,
  BPF_ST,
  BPF_STORE_REL,
  BPF_STX,
  BPF_W,
  BPF_X,
  LD_IMM64,
  accessBytes,
} from './opcodes.js';

export interface FormatOptions {
  /** Decode as llvm-objdump does with `--mattr=+alu32`. Default false. */
  alu32?: boolean;
  /** Show load-acquire/store-release and all 32-bit atomics by their
   * meaning where LLVM 19 cannot (see the module comment). Default false,
   * which matches llvm-objdump-19 exactly. */
  extended?: boolean;
}

/** What llvm-objdump prints for an instruction it cannot decode. */
export const UNKNOWN_TEXT = '<unknown>';

const ALU_SYMBOL: Record<number, string> = {
  0x00: '+=',
  0x10: '-=',
  0x20: '*=',
  0x30: '/=',
  0x40: '|=',
  0x50: '&=',
  0x60: '<<=',
  0x70: '>>=',
  0x90: '%=',
  0xa0: '^=',
  0xc0: 's>>=',
};

const JMP_SYMBOL: Record<number, string> = {
  0x10: '==',
  0x20: '>',
  0x30: '>=',
  0x40: '&',
  0x50: '!=',
  0x60: 's>',
  0x70: 's>=',
  0xa0: '<',
  0xb0: '<=',
  0xc0: 's<',
  0xd0: 's<=',
};

/** Atomic read-modify-write operations: imm high nibble -> [symbol, name]. */
const ATOMIC_OP: Record<number, [string, string]> = {
  0x0: ['+', 'add'],
  0x4: ['|', 'or'],
  0x5: ['&', 'and'],
  0xa: ['^', 'xor'],
};

/** Signed hex as LLVM prints immediates: 0x1f, -0x8. */
function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

function hex64(n: bigint): string {
  return n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

/** A jump displacement: +0x3, -0x1. */
function rel(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `+0x${n.toString(16)}`;
}

/** A memory operand's address: `r1 + 0x8`, `r10 - 0x10`. */
function addr(reg: number, off: number): string {
  return off < 0 ? `r${reg} - 0x${(-off).toString(16)}` : `r${reg} + 0x${off.toString(16)}`;
}

/** Registers llvm-objdump accepts (r0-r11). */
function reg(n: number): boolean {
  return n <= 11;
}

/**
 * The text of one instruction given its raw fields; `hi` is the imm of the
 * following slot (for ld_imm64), undefined when there is none. Returns
 * undefined where llvm-objdump prints `<unknown>`.
 */
function text(code: number, dst: number, src: number, off: number, imm: number, hi: number | undefined, o: FormatOptions): string | undefined {
  const cls = code & 0x07;
  switch (cls) {
    case BPF_ALU:
    case BPF_ALU64:
      return aluText(cls, code, dst, src, off, imm);
    case BPF_JMP:
    case BPF_JMP32:
      return jmpText(cls, code, dst, src, off, imm);
    case BPF_LD:
      return ldText(code, dst, src, off, imm, hi);
    case BPF_LDX:
      return ldxText(code, dst, src, off, o);
    case BPF_ST:
      if ((code & 0xe0) !== BPF_MEM || !reg(dst)) return undefined;
      return `*(u${accessBytes(code) * 8} *)(${addr(dst, off)}) = ${hex(imm)}`;
    default:
      return stxText(code, dst, src, off, imm, o);
  }
}

function aluText(cls: number, code: number, dst: number, src: number, off: number, imm: number): string | undefined {
  const p = cls === BPF_ALU ? 'w' : 'r';
  const op = code & 0xf0;
  const x = (code & BPF_X) !== 0;
  if (!reg(dst)) return undefined;
  const sym = ALU_SYMBOL[op];
  if (sym !== undefined) {
    let s = sym;
    if (op === BPF_DIV || op === BPF_MOD) {
      if (off === 1) s = 's' + sym;
      else if (off !== 0) return undefined;
    } else if (off !== 0) {
      return undefined;
    }
    if (!x) return `${p}${dst} ${s} ${hex(imm)}`;
    return reg(src) ? `${p}${dst} ${s} ${p}${src}` : undefined;
  }
  switch (op) {
    case BPF_NEG:
      return x ? undefined : `${p}${dst} = -${p}${dst}`;
    case BPF_MOV:
      if (!x) return off === 0 ? `${p}${dst} = ${hex(imm)}` : undefined;
      if (!reg(src)) return undefined;
      if (off === 0) return `${p}${dst} = ${p}${src}`;
      if (off === 8 || off === 16 || (off === 32 && cls === BPF_ALU64)) return `${p}${dst} = (s${off})${p}${src}`;
      if (off === 1 && cls === BPF_ALU64) {
        return `r${dst} = addr_space_cast(r${src}, 0x${(imm >>> 16).toString(16)}, 0x${(imm & 0xffff).toString(16)})`;
      }
      return undefined;
    case BPF_END:
      if (imm !== 16 && imm !== 32 && imm !== 64) return undefined;
      if (cls === BPF_ALU) return `r${dst} = ${x ? 'be' : 'le'}${imm} r${dst}`;
      return x ? undefined : `r${dst} = bswap${imm} r${dst}`;
    default:
      return undefined;
  }
}

function jmpText(cls: number, code: number, dst: number, src: number, off: number, imm: number): string | undefined {
  const op = code & 0xf0;
  const x = (code & BPF_X) !== 0;
  switch (op) {
    case BPF_JA:
      if (x) return undefined;
      return cls === BPF_JMP ? `goto ${rel(off)}` : `gotol ${rel(imm)}`;
    case BPF_CALL:
      if (cls !== BPF_JMP) return undefined;
      if (x) return reg(dst) ? `callx r${dst}` : undefined;
      return `call ${hex(imm)}`;
    case BPF_EXIT:
      return cls === BPF_JMP && !x && imm === 0 ? 'exit' : undefined;
    case BPF_JCOND:
      return cls === BPF_JMP && !x ? `may_goto ${rel(off)}` : undefined;
  }
  const sym = JMP_SYMBOL[op];
  if (sym === undefined || !reg(dst)) return undefined;
  const p = cls === BPF_JMP ? 'r' : 'w';
  if (!x) return `if ${p}${dst} ${sym} ${hex(imm)} goto ${rel(off)}`;
  return reg(src) ? `if ${p}${dst} ${sym} ${p}${src} goto ${rel(off)}` : undefined;
}

function ldText(code: number, dst: number, src: number, off: number, imm: number, hi: number | undefined): string | undefined {
  if (code === LD_IMM64) {
    if (hi === undefined || off !== 0 || !reg(dst)) return undefined;
    if (src !== 0) return `ld_pseudo\tr${dst}, ${hex(src)}, 0x${(imm >>> 0).toString(16)}`;
    const v = BigInt.asIntN(64, BigInt(imm >>> 0) | (BigInt(hi >>> 0) << 32n));
    return `r${dst} = ${hex64(v)} ll`;
  }
  if ((code & 0x18) === BPF_DW) return undefined;
  const ty = `u${accessBytes(code) * 8}`;
  if ((code & 0xe0) === BPF_ABS) return `r0 = *(${ty} *)skb[${hex(imm)}]`;
  if ((code & 0xe0) === BPF_IND) return reg(src) ? `r0 = *(${ty} *)skb[r${src}]` : undefined;
  return undefined;
}

function ldxText(code: number, dst: number, src: number, off: number, o: FormatOptions): string | undefined {
  if (!reg(dst) || !reg(src)) return undefined;
  const bits = accessBytes(code) * 8;
  const mode = code & 0xe0;
  if (mode === BPF_MEM) {
    const p = o.alu32 && bits !== 64 ? 'w' : 'r';
    return `${p}${dst} = *(u${bits} *)(${addr(src, off)})`;
  }
  if (mode === BPF_MEMSX && bits !== 64) return `r${dst} = *(s${bits} *)(${addr(src, off)})`;
  return undefined;
}

function stxText(code: number, dst: number, src: number, off: number, imm: number, o: FormatOptions): string | undefined {
  if (!reg(dst) || !reg(src)) return undefined;
  const bits = accessBytes(code) * 8;
  const mode = code & 0xe0;
  const mem = addr(dst, off);
  if (mode === BPF_MEM) {
    const p = o.alu32 && bits !== 64 ? 'w' : 'r';
    return `*(u${bits} *)(${mem}) = ${p}${src}`;
  }
  if (mode !== BPF_ATOMIC) return undefined;
  const size = code & 0x18;
  if (o.extended) {
    const p = bits === 64 ? 'r' : 'w';
    if (imm === BPF_LOAD_ACQ) return `${p}${dst} = load_acquire((u${bits} *)(${addr(src, off)}))`;
    if (imm === BPF_STORE_REL) return `store_release((u${bits} *)(${mem}), ${p}${src})`;
    if (size !== BPF_DW && size !== BPF_W) return undefined;
    // Exact operation codes only; keep LLVM 19's text where it has one.
    const known = imm === 0xe1 || imm === 0xf1 || ((imm & ~0xf1) === 0 && ATOMIC_OP[imm >> 4] !== undefined);
    if (!known) return undefined;
    if (size === BPF_W && !o.alu32 && imm === 0) return `lock *(u32 *)(${mem}) += r${src}`;
    return atomicText(size === BPF_DW, dst, src, off, imm);
  }
  if (size === BPF_DW || (size === BPF_W && o.alu32)) return atomicText(size === BPF_DW, dst, src, off, imm & 0xff);
  if (size === BPF_W && (imm & 0xf0) === 0) return `lock *(u32 *)(${mem}) += r${src}`;
  return undefined;
}

/** 32/64-bit atomics in LLVM's table; `lo` is the low byte of imm. */
function atomicText(is64: boolean, dst: number, src: number, off: number, lo: number): string | undefined {
  const p = is64 ? 'r' : 'w';
  const ty = is64 ? 'u64' : 'u32';
  const mem = addr(dst, off);
  if (lo === 0xe1) return is64 ? `r${src} = xchg_64(${mem}, r${src})` : `w${src} = xchg32_32(${mem}, w${src})`;
  if (lo === 0xf1) return is64 ? `r0 = cmpxchg_64(${mem}, r0, r${src})` : `w0 = cmpxchg32_32(${mem}, w0, w${src})`;
  const op = ATOMIC_OP[lo >> 4];
  if (op === undefined) return undefined;
  if ((lo & 0xf) === 1) return `${p}${src} = atomic_fetch_${op[1]}((${ty} *)(${mem}), ${p}${src})`;
  return `lock *(${ty} *)(${mem}) ${op[0]}= ${p}${src}`;
}

/**
 * The llvm-objdump text of one instruction (no address). An ld_imm64 takes
 * its upper half from `imm64`, or from `next` (the following slot) when
 * `imm64` is not set. The continuation slot of an ld_imm64 has no text of its
 * own: formatting it gives the text of its raw fields as a lone instruction,
 * which is what llvm-objdump shows when it could not decode the pair.
 */
export function formatInsn(insn: Insn, opts: FormatOptions = {}, next?: Insn): string {
  let hi: number | undefined;
  if (insn.code === LD_IMM64) {
    if (insn.imm64 !== undefined) hi = Number(BigInt.asIntN(32, BigInt.asUintN(64, insn.imm64) >> 32n));
    else if (next !== undefined) hi = Number(BigInt.asIntN(32, imm64Of(insn, next) >> 32n));
    else hi = 0;
  }
  return text(insn.code, insn.dst, insn.src, insn.off, insn.imm, hi, opts) ?? UNKNOWN_TEXT;
}

/** A symbol of the section, for jump-target annotations. */
export interface SectionSymbol {
  name: string;
  /** Byte offset in the section. */
  offset: number;
}

export interface DisassembleOptions extends FormatOptions {
  /** Prefix each line with the slot index as llvm-objdump prints it
   * (`"      12:\t"`). Default true. */
  addresses?: boolean;
  /**
   * Symbols of the section. When given, jumps (goto, gotol, conditional
   * jumps, may_goto) are annotated with their target as `<sym>` or
   * `<sym+0x18>` after the nearest symbol at or before the target, as
   * llvm-objdump does.
   */
  symbols?: readonly SectionSymbol[];
}

/** One line of disassembly. */
export interface DisassemblyLine {
  /** Slot index (llvm-objdump's address column). */
  index: number;
  /** Instruction text, with the target annotation when asked for. */
  text: string;
  /** For jumps: the target's byte offset in the section (modulo 2^64, as
   * llvm-objdump computes it). */
  target?: bigint;
}

interface Slot {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

/** The raw 8-byte slots of a program, as the encoder would write them. */
function slotsOf(insns: readonly Insn[]): Slot[] {
  const out: Slot[] = [];
  for (let i = 0; i < insns.length; i++) {
    const insn = insns[i];
    out.push(insn);
    if (insn.code !== LD_IMM64 || insn.continuation) continue;
    const next = insns[i + 1];
    if (next?.continuation) {
      out.push(next);
      i++;
    } else {
      const hi = insn.imm64 !== undefined ? Number(BigInt.asIntN(32, BigInt.asUintN(64, insn.imm64) >> 32n)) : 0;
      out.push({ code: 0, dst: 0, src: 0, off: 0, imm: hi });
    }
  }
  return out;
}

const U64 = (1n << 64n) - 1n;

/**
 * Disassemble a program as llvm-objdump does: walking the raw slots, an
 * ld_imm64 it can decode consumes two slots; anything it cannot decode is
 * `<unknown>` and consumes one (so the second half of an undecodable
 * ld_imm64 gets a line of its own).
 */
export function disassembleLines(insns: readonly Insn[], opts: DisassembleOptions = {}): DisassemblyLine[] {
  const slots = slotsOf(insns);
  const symbols = opts.symbols !== undefined ? [...opts.symbols].sort((a, b) => a.offset - b.offset) : undefined;
  const out: DisassemblyLine[] = [];
  for (let k = 0; k < slots.length; ) {
    const s = slots[k];
    const hi = s.code === LD_IMM64 && k + 1 < slots.length ? slots[k + 1].imm : undefined;
    const t = text(s.code, s.dst, s.src, s.off, s.imm, hi, opts);
    const line: DisassemblyLine = { index: k, text: t ?? UNKNOWN_TEXT };
    if (t !== undefined) {
      const disp = jumpDisplacement(s);
      if (disp !== undefined) {
        line.target = (BigInt(k * 8 + 8) + BigInt(disp) * 8n) & U64;
        if (symbols !== undefined) {
          const label = symbolize(symbols, line.target);
          if (label !== undefined) line.text += ` <${label}>`;
        }
      }
    }
    out.push(line);
    k += t !== undefined && s.code === LD_IMM64 ? 2 : 1;
  }
  return out;
}

/** Jump displacement in slots of a decodable jump, as llvm-objdump evaluates it. */
function jumpDisplacement(s: Slot): number | undefined {
  const cls = s.code & 0x07;
  if (cls !== BPF_JMP && cls !== BPF_JMP32) return undefined;
  const op = s.code & 0xf0;
  if (op === BPF_CALL || op === BPF_EXIT) return undefined;
  if (op === BPF_JA && cls === BPF_JMP32) return s.imm;
  return s.off;
}

/** The last symbol at or before `target` (symbols sorted by offset), as `name` or `name+0x..`. */
function symbolize(symbols: readonly SectionSymbol[], target: bigint): string | undefined {
  let lo = 0;
  let hi = symbols.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (BigInt(symbols[mid].offset) <= target) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return undefined;
  const best = symbols[lo - 1];
  const delta = target - BigInt(best.offset);
  return delta === 0n ? best.name : `${best.name}+0x${delta.toString(16)}`;
}

/** Format a slot index as llvm-objdump's address column: `%8d:\t`. */
export function addressPrefix(index: number): string {
  return `${String(index).padStart(8)}:\t`;
}

/**
 * Disassemble a program: one line per instruction (an ld_imm64 is one line),
 * each `"     <slot>:\t<text>"` as llvm-objdump -d --no-show-raw-insn prints
 * it, or just the text with `addresses: false`.
 */
export function disassemble(insns: readonly Insn[], opts: DisassembleOptions = {}): string[] {
  const withAddress = opts.addresses !== false;
  return disassembleLines(insns, opts).map((l) => (withAddress ? addressPrefix(l.index) + l.text : l.text));
}
