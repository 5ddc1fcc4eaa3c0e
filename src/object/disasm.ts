import { STT_FILE, STT_SECTION } from '../elf/index.js';
import { decodeInsns, disassembleLines, type Insn } from '../insn/index.js';
import { BpfkitError } from '../internal/errors.js';
import type { BpfObject, LoadRelocation } from './types.js';

/** One function's disassembly, as `bpfkit disasm` shows it. */
export interface FunctionListing {
  name: string;
  kind: 'program' | 'subprogram';
  section: string;
  /** First slot of the function in its section. */
  insnOffset: number;
  insnCount: number;
  lines: {
    /** Slot index in the section (llvm-objdump's address column). */
    index: number;
    text: string;
    code: number;
    dst: number;
    src: number;
    off: number;
    imm: number;
    /** The full 64-bit value of an ld_imm64, as a decimal string. */
    imm64?: string;
    relocation?: { kind: LoadRelocation['kind']; target: string; addend: number };
  }[];
}

/**
 * Disassemble the programs (and the sub-programs they call) of an object.
 * Each section is decoded once and every function is cut from it, so jump
 * labels name the section's symbols the way llvm-objdump does.
 */
export function disassembleObject(obj: BpfObject, opts: { prog?: string } = {}): FunctionListing[] {
  const functions = [
    ...obj.programs.map((p) => ({ ...p, kind: 'program' as const })),
    ...obj.subprograms.map((s) => ({ ...s, kind: 'subprogram' as const })),
  ];
  let chosen = functions;
  if (opts.prog !== undefined) {
    const p = obj.programs.find((x) => x.name === opts.prog) ?? obj.subprograms.find((x) => x.name === opts.prog);
    if (p === undefined) {
      throw new BpfkitError('BAD_VALUE', `no program or sub-program named '${opts.prog}' (programs: ${obj.programs.map((x) => x.name).join(', ') || 'none'})`, {
        file: obj.file,
        symbol: opts.prog,
      });
    }
    const calls = 'calls' in p ? new Set(p.calls) : new Set<string>();
    chosen = functions.filter((f) => f.name === p.name || calls.has(f.name));
  }
  const decoded = new Map<number, { insns: Insn[]; lines: ReturnType<typeof disassembleLines> }>();
  const out: FunctionListing[] = [];
  for (const f of chosen) {
    let sec = decoded.get(f.sectionIndex);
    if (sec === undefined) {
      const elfSec = obj.elf.sections[f.sectionIndex];
      const insns = decodeInsns(elfSec.data, obj.littleEndian, {
        file: obj.file,
        section: elfSec.name,
        baseOffset: elfSec.offset,
        allowUnknown: true,
      });
      // Every named symbol of the section labels jumps, as in llvm-objdump
      // (older clang leaves local LBB labels there).
      const symbols = obj.symbols
        .filter((s) => s.shndx === f.sectionIndex && s.name !== '' && s.type !== STT_SECTION && s.type !== STT_FILE)
        .map((s) => ({ name: s.name, offset: Number(s.value) }));
      sec = { insns, lines: disassembleLines(insns, { symbols }) };
      decoded.set(f.sectionIndex, sec);
    }
    const relocs = new Map(obj.relocations.filter((r) => r.program === f.name).map((r) => [r.insn + f.insnOffset, r]));
    const { insns, lines } = sec;
    out.push({
      name: f.name,
      kind: f.kind,
      section: f.section,
      insnOffset: f.insnOffset,
      insnCount: f.insnCount,
      lines: lines
        .filter((l) => l.index >= f.insnOffset && l.index < f.insnOffset + f.insnCount)
        .map((l) => {
          const insn = insns[l.index];
          const r = relocs.get(l.index);
          return {
            index: l.index,
            text: l.text,
            code: insn.code,
            dst: insn.dst,
            src: insn.src,
            off: insn.off,
            imm: insn.imm,
            ...(insn.imm64 !== undefined ? { imm64: insn.imm64.toString() } : {}),
            ...(r !== undefined ? { relocation: { kind: r.kind, target: r.target, addend: r.addend } } : {}),
          };
        }),
    });
  }
  return out;
}

/** Text like llvm-objdump -d --no-show-raw-insn, one block per function,
 * with load-time relocations noted after the instruction they patch. */
export function formatDisasm(listing: FunctionListing[]): string {
  const out: string[] = [];
  for (const f of listing) {
    out.push(`${(f.insnOffset * 8).toString(16).padStart(16, '0')} <${f.name}>:  ; ${f.kind} in ${f.section}`);
    for (const l of f.lines) {
      let line = `${String(l.index).padStart(8)}:\t${l.text}`;
      if (l.relocation !== undefined) line += `\t; ${l.relocation.kind} ${l.relocation.target}${l.relocation.addend !== 0 ? `+${l.relocation.addend}` : ''}`;
      out.push(line);
    }
    out.push('');
  }
  return out.join('\n');
}
