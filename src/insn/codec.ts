/**
 * Instruction bytes <-> the Insn model, in either byte order.
 *
 * Wire format of one 8-byte slot (RFC 9669 §3):
 *
 *   byte 0      opcode
 *   byte 1      registers: little-endian objects `src << 4 | dst`,
 *               big-endian objects `dst << 4 | src`
 *   bytes 2-3   off, signed, in the object's byte order
 *   bytes 4-7   imm, signed, in the object's byte order
 *
 * ld_imm64 (opcode 0x18) is followed by a second slot whose imm holds the
 * upper 32 bits of the constant (see insn.ts for how it is modelled).
 */
import { SHF_EXECINSTR, SHT_PROGBITS, sectionLabel, type ElfFile, type ElfSection } from '../elf/index.js';
import { BpfkitError } from '../internal/errors.js';
import { insnKind, type Insn } from './insn.js';
import { INSN_SIZE, LD_IMM64 } from './opcodes.js';

export interface DecodeOptions {
  /** For errors: the file the bytes come from. */
  file?: string;
  /** For errors: the section the bytes come from. */
  section?: string;
  /** For errors: the offset of the first byte in the file; error offsets are
   * relative to the bytes given when absent. */
  baseOffset?: number;
  /**
   * Keep instructions the ISA does not define (and ld_imm64 second halves
   * with non-zero code, registers or offset) instead of throwing. They keep
   * their raw fields, so encoding reproduces them and the disassembler shows
   * them as llvm-objdump does (`<unknown>`). Default false.
   */
  allowUnknown?: boolean;
}

function fail(code: 'BAD_VALUE' | 'TRUNCATED', detail: string, at: number, opts: DecodeOptions): never {
  throw new BpfkitError(code, detail, {
    file: opts.file,
    section: opts.section,
    offset: (opts.baseOffset ?? 0) + at,
  });
}

function rawText(insn: Insn): string {
  return `code 0x${insn.code.toString(16).padStart(2, '0')} dst ${insn.dst} src ${insn.src} off ${insn.off} imm ${insn.imm}`;
}

/**
 * Decode a run of instructions (an executable section). The result has one
 * element per 8-byte slot; see insn.ts for the ld_imm64 pair.
 *
 * Throws BpfkitError: BAD_VALUE when the length is not a multiple of 8 or an
 * instruction is unknown (unless `allowUnknown`), TRUNCATED when an ld_imm64
 * has no second half. The error's offset is the instruction's byte offset
 * (plus `baseOffset`) and its message names the instruction index.
 */
export function decodeInsns(bytes: Uint8Array, littleEndian: boolean, opts: DecodeOptions = {}): Insn[] {
  const length = bytes.byteLength;
  if (length % INSN_SIZE !== 0) {
    fail('BAD_VALUE', `instruction bytes: length ${length} is not a multiple of ${INSN_SIZE}`, length - (length % INSN_SIZE), opts);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, length);
  const count = length / INSN_SIZE;
  const out: Insn[] = new Array(count);
  const strict = opts.allowUnknown !== true;
  for (let i = 0; i < count; i++) {
    const at = i * INSN_SIZE;
    const insn = readSlot(bytes, view, at, littleEndian);
    out[i] = insn;
    if (strict && insnKind(insn) === 'unknown') fail('BAD_VALUE', `instruction ${i}: unknown instruction (${rawText(insn)})`, at, opts);
    if (insn.code === LD_IMM64) {
      if (i + 1 >= count) fail('TRUNCATED', `instruction ${i}: ld_imm64 has no second half (the input ends)`, at, opts);
      const tail = readSlot(bytes, view, at + INSN_SIZE, littleEndian);
      tail.continuation = true;
      insn.size = 16;
      insn.imm64 = BigInt(insn.imm >>> 0) | (BigInt(tail.imm >>> 0) << 32n);
      if (strict && (tail.code !== 0 || tail.dst !== 0 || tail.src !== 0 || tail.off !== 0)) {
        fail('BAD_VALUE', `instruction ${i}: second half of ld_imm64 is not zero apart from imm (${rawText(tail)})`, at + INSN_SIZE, opts);
      }
      out[++i] = tail;
    }
  }
  return out;
}

function readSlot(bytes: Uint8Array, view: DataView, at: number, le: boolean): Insn {
  const regs = bytes[at + 1];
  return {
    code: bytes[at],
    dst: le ? regs & 0xf : regs >> 4,
    src: le ? regs >> 4 : regs & 0xf,
    off: view.getInt16(at + 2, le),
    imm: view.getInt32(at + 4, le),
    size: 8,
  };
}

function checkField(index: number, name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new BpfkitError('BAD_VALUE', `instruction ${index}: ${name} ${v} is outside ${min}..${max}`);
  }
}

/**
 * Encode instructions. Each element is one slot; an ld_imm64 (code 0x18)
 * takes its upper half from the following `continuation` element when there
 * is one (which is then consumed), otherwise from `imm64` (the second slot's
 * other fields are then zero). Elements are validated: code 0-255, registers
 * 0-15, off -32768..65535, imm -2^31..2^32-1 (stored modulo 2^16 / 2^32), and
 * an `imm64` that disagrees with `imm` or the continuation's `imm` is a
 * BAD_VALUE error (use `setImm64` to change all three).
 */
export function encodeInsns(insns: readonly Insn[], littleEndian: boolean): Uint8Array {
  let slots = 0;
  for (let i = 0; i < insns.length; i++) {
    slots++;
    if (insns[i].code === LD_IMM64 && !insns[i].continuation) {
      slots++;
      if (insns[i + 1]?.continuation) i++;
    }
  }
  const out = new Uint8Array(slots * INSN_SIZE);
  const view = new DataView(out.buffer);
  let at = 0;
  for (let i = 0; i < insns.length; i++) {
    const insn = insns[i];
    writeSlot(out, view, at, insn, insn.imm, i, littleEndian);
    at += INSN_SIZE;
    if (insn.code !== LD_IMM64 || insn.continuation) continue;
    const next = insns[i + 1];
    const tail = next?.continuation ? next : undefined;
    let hi = tail?.imm ?? 0;
    if (insn.imm64 !== undefined) {
      const v = insn.imm64;
      if (typeof v !== 'bigint' || v < -(1n << 63n) || v >= 1n << 64n) {
        throw new BpfkitError('BAD_VALUE', `instruction ${i}: imm64 ${String(v)} is not a 64-bit value`);
      }
      const lo = Number(BigInt.asUintN(32, v));
      const hiFromImm64 = Number(BigInt.asUintN(32, v >> 32n));
      if (lo !== insn.imm >>> 0 || (tail !== undefined && hiFromImm64 !== tail.imm >>> 0)) {
        throw new BpfkitError(
          'BAD_VALUE',
          `instruction ${i}: imm64 0x${BigInt.asUintN(64, v).toString(16)} disagrees with imm ${insn.imm}` +
            (tail !== undefined ? ` / second imm ${tail.imm}` : '') +
            ' (set all of them, e.g. with setImm64)',
        );
      }
      hi = hiFromImm64;
    }
    if (tail !== undefined) {
      writeSlot(out, view, at, tail, hi, i + 1, littleEndian);
      i++;
    } else {
      view.setInt32(at + 4, hi | 0, littleEndian);
    }
    at += INSN_SIZE;
  }
  return out;
}

function writeSlot(out: Uint8Array, view: DataView, at: number, insn: Insn, imm: number, index: number, le: boolean): void {
  checkField(index, 'code', insn.code, 0, 0xff);
  checkField(index, 'dst', insn.dst, 0, 15);
  checkField(index, 'src', insn.src, 0, 15);
  checkField(index, 'off', insn.off, -0x8000, 0xffff);
  checkField(index, 'imm', imm, -0x8000_0000, 0xffff_ffff);
  out[at] = insn.code;
  out[at + 1] = le ? (insn.src << 4) | insn.dst : (insn.dst << 4) | insn.src;
  view.setInt16(at + 2, (insn.off << 16) >> 16, le);
  view.setInt32(at + 4, imm | 0, le);
}

/** The sections llvm-objdump -d disassembles: those with SHF_EXECINSTR. */
export function executableSections(elf: ElfFile): ElfSection[] {
  return elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0n && s.type === SHT_PROGBITS);
}

/** Decode one section of an object, with file/section/offset in errors. */
export function decodeSection(elf: ElfFile, section: ElfSection, opts: Omit<DecodeOptions, 'file' | 'section' | 'baseOffset'> = {}): Insn[] {
  return decodeInsns(section.data, elf.littleEndian, {
    ...opts,
    file: elf.fileName,
    section: sectionLabel(section),
    baseOffset: section.offset,
  });
}
