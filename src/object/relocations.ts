import { readRelocations, SHN_UNDEF, SHT_REL, STT_FUNC, STT_SECTION, type ElfFile, type ElfSection, type ElfSymbol } from '../elf/index.js';
import { BpfkitError } from '../internal/errors.js';
import { isDataSectionName } from './data-sections.js';
import { InsnPeek, OP_CALL, OP_LD_IMM64, PSEUDO_CALL } from './insn-peek.js';
import type { BpfMap, Extern, LoadRelocation } from './types.js';

/** A function (program or sub-program) as a range of instruction slots. */
export interface CodeRange {
  name: string;
  sectionIndex: number;
  section: string;
  insnOffset: number;
  insnCount: number;
}

export interface RelocContext {
  elf: ElfFile;
  symbols: ElfSymbol[];
  functions: CodeRange[];
  maps: BpfMap[];
  externs: Extern[];
  file: string | undefined;
}

export interface RelocResult {
  relocations: LoadRelocation[];
  warnings: string[];
  /** Direct callees (and function-pointer targets) of each function, by name. */
  callees: Map<string, Set<string>>;
}

function functionAt(functions: CodeRange[], sectionIndex: number, insn: number): CodeRange | undefined {
  return functions.find((f) => f.sectionIndex === sectionIndex && insn >= f.insnOffset && insn < f.insnOffset + f.insnCount);
}

/**
 * The load-time relocations of every code section (what libbpf's
 * bpf_program__record_reloc() records) and the call graph between
 * functions, including calls inside a section that need no relocation.
 */
export function collectRelocations(ctx: RelocContext): RelocResult {
  const { elf, symbols, functions } = ctx;
  const relocations: LoadRelocation[] = [];
  const warnings: string[] = [];
  const callees = new Map<string, Set<string>>();
  const addCallee = (from: string, to: string): void => {
    let set = callees.get(from);
    if (set === undefined) callees.set(from, (set = new Set()));
    set.add(to);
  };
  const relocated = new Set<string>(); // "secIndex:insn" with a relocation
  const codeIndexes = new Set(functions.map((f) => f.sectionIndex));

  for (const rel of elf.sections) {
    if (rel.type !== SHT_REL || !codeIndexes.has(rel.info)) continue;
    const target = elf.sections[rel.info];
    const peek = new InsnPeek(target.data, elf.littleEndian);
    for (const r of readRelocations(elf, rel)) {
      const off = Number(r.offset);
      const sym = symbols[r.symbol];
      const where = { file: ctx.file, section: rel.name, offset: rel.offset + r.index * 16 };
      if (sym === undefined) {
        throw new BpfkitError('OUT_OF_RANGE', `relocation #${r.index} names symbol index ${r.symbol}, which does not exist`, where);
      }
      if (off % 8 !== 0 || off + 8 > target.data.byteLength) {
        throw new BpfkitError('BAD_VALUE', `relocation #${r.index} at offset ${off} is outside section ${target.name} (size ${target.size}) or not on an instruction`, {
          ...where,
          symbol: sym.name,
        });
      }
      const insn = off / 8;
      const owner = functionAt(functions, target.index, insn);
      if (owner === undefined) {
        // libbpf skips these too: code left behind by a weak function that
        // the static linker replaced.
        warnings.push(`${rel.name}: relocation #${r.index} patches instruction ${insn} of ${target.name}, which belongs to no function (an overridden weak function?); skipped`);
        continue;
      }
      relocated.add(`${target.index}:${insn}`);
      const lr = classify(ctx, peek, target, insn, sym, owner, r.index);
      relocations.push(lr);
      if (lr.kind === 'subprog_call' || lr.kind === 'func_addr') addCallee(owner.name, lr.target);
    }
  }

  // Calls within a section carry no relocation: imm is the distance.
  for (const f of functions) {
    const sec = elf.sections[f.sectionIndex];
    const peek = new InsnPeek(sec.data, elf.littleEndian);
    for (let i = f.insnOffset; i < f.insnOffset + f.insnCount; i++) {
      if (!peek.isPseudoCall(i) || relocated.has(`${f.sectionIndex}:${i}`)) continue;
      const dest = i + peek.imm(i) + 1;
      const callee = functionAt(functions, f.sectionIndex, dest);
      if (callee === undefined || callee.insnOffset !== dest) {
        throw new BpfkitError('BAD_VALUE', `call at instruction ${i - f.insnOffset} of '${f.name}' jumps to instruction ${dest}, which starts no function`, {
          file: ctx.file,
          section: sec.name,
          symbol: f.name,
          insn: i - f.insnOffset,
        });
      }
      addCallee(f.name, callee.name);
    }
  }
  return { relocations, warnings, callees };
}

function classify(
  ctx: RelocContext,
  peek: InsnPeek,
  target: ElfSection,
  insn: number,
  sym: ElfSymbol,
  owner: CodeRange,
  relIndex: number,
): LoadRelocation {
  const code = peek.code(insn);
  const base = { program: owner.name, section: target.name, insn: insn - owner.insnOffset, symbol: sym.name };
  const fail = (detail: string): never => {
    throw new BpfkitError('BAD_VALUE', `relocation #${relIndex}: ${detail}`, {
      file: ctx.file,
      section: target.name,
      symbol: owner.name,
      insn: insn - owner.insnOffset,
    });
  };
  if (code !== OP_CALL && code !== OP_LD_IMM64) {
    fail(`instruction opcode 0x${code.toString(16)} is neither ld_imm64 nor call, so it cannot be relocated`);
  }
  if (code === OP_LD_IMM64 && insn + 1 >= peek.count) fail('ld_imm64 is missing its second half');

  if (sym.shndx === SHN_UNDEF) {
    const ext = ctx.externs.find((e) => e.name === sym.name);
    if (ext === undefined) fail(`symbol '${sym.name}' is undefined and not an extern`);
    // A kfunc is called, or its address loaded to test a weak one exists.
    const kind = ext!.kind === 'plain' ? 'extern' : ext!.kind;
    return { ...base, kind, target: sym.name, addend: 0 };
  }
  const symSec = ctx.elf.sections[sym.shndx];
  if (symSec === undefined) fail(`symbol '${sym.name}' is in section index ${sym.shndx}, which does not exist`);

  if (code === OP_CALL) {
    if (peek.src(insn) !== PSEUDO_CALL) fail('a relocated call must be a bpf-to-bpf call (src_reg 1)');
    const dest = sym.type === STT_SECTION ? Number(sym.value) / 8 + peek.imm(insn) + 1 : Number(sym.value) / 8;
    const callee = functionAt(ctx.functions, sym.shndx, dest);
    if (callee === undefined || callee.insnOffset !== dest) fail(`call target instruction ${dest} of ${symSec!.name} starts no function`);
    return { ...base, kind: 'subprog_call', target: callee!.name, addend: 0 };
  }

  // ld_imm64
  const addend = Number(sym.value) + peek.imm(insn);
  if (symSec!.name === '.maps' || symSec!.name === 'maps') {
    const map =
      sym.type === STT_SECTION
        ? ctx.maps.find((m) => m.sectionIndex === sym.shndx && m.sectionOffset === addend)
        : ctx.maps.find((m) => m.sectionIndex === sym.shndx && m.name === sym.name);
    if (map === undefined) fail(`'${sym.name}' (offset ${addend}) is not a map definition in ${symSec!.name}`);
    return { ...base, kind: 'map_fd', target: map!.name, addend: 0 };
  }
  if (isDataSectionName(symSec!.name)) {
    return { ...base, kind: 'map_value', target: symSec!.name, addend };
  }
  if (sym.type === STT_FUNC || ctx.functions.some((f) => f.sectionIndex === sym.shndx)) {
    const callee = functionAt(ctx.functions, sym.shndx, addend / 8);
    if (callee === undefined || addend % 8 !== 0) fail(`function address ${addend} in ${symSec!.name} starts no function`);
    return { ...base, kind: 'func_addr', target: callee!.name, addend: 0 };
  }
  if (symSec!.name === '.struct_ops' || symSec!.name === '.struct_ops.link' || symSec!.name === '.addr_space.1') {
    return { ...base, kind: 'map_value', target: symSec!.name, addend };
  }
  return fail(`ld_imm64 refers to '${sym.name}' in section ${symSec!.name}, which holds neither maps, global data nor code`);
}
