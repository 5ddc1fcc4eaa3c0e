import { SHF_EXECINSTR, STB_LOCAL, STT_FUNC, type ElfFile, type ElfSection, type ElfSymbol } from '../elf/index.js';
import { BpfkitError } from '../internal/errors.js';
import { attachTypeName, progTypeName } from './bpf-enums.js';
import { findSecDef } from './sec-defs.js';
import type { BpfProgram, Subprogram } from './types.js';

/** Executable PROGBITS sections: the code of programs and sub-programs. */
export function codeSections(elf: ElfFile): ElfSection[] {
  return elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0n && s.data.byteLength > 0);
}

export interface FoundCode {
  programs: BpfProgram[];
  subprograms: Subprogram[];
  warnings: string[];
}

/**
 * Every function symbol in an executable section: in `.text` a
 * sub-program, elsewhere a program, typed from its section name with
 * libbpf's table. Like libbpf, a section's size must be a multiple of 8 and
 * every function must lie inside its section on instruction boundaries.
 */
export function findCode(elf: ElfFile, symbols: ElfSymbol[], file: string | undefined): FoundCode {
  const programs: BpfProgram[] = [];
  const subprograms: Subprogram[] = [];
  const warnings: string[] = [];
  for (const sec of codeSections(elf)) {
    if (sec.size % 8 !== 0) {
      throw new BpfkitError('BAD_VALUE', `executable section size ${sec.size} is not a multiple of 8 (the BPF instruction size)`, {
        file,
        section: sec.name,
        offset: sec.offset,
      });
    }
    const funcs = symbols
      .filter((s) => s.shndx === sec.index && s.type === STT_FUNC)
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    if (funcs.length === 0 && sec.name !== '.text') {
      warnings.push(`section ${sec.name}: code without a function symbol is not a program libbpf can find`);
    }
    for (const f of funcs) {
      const start = Number(f.value);
      const size = Number(f.size);
      if (start % 8 !== 0 || size % 8 !== 0 || size === 0 || start + size > sec.size) {
        throw new BpfkitError(
          'BAD_VALUE',
          `function at offset ${start} with size ${size} does not fit the section (size ${sec.size}) on 8-byte instruction boundaries`,
          { file, section: sec.name, symbol: f.name, offset: sec.offset + Math.min(start, sec.size) },
        );
      }
      if (sec.name === '.text') {
        subprograms.push({
          name: f.name,
          section: sec.name,
          sectionIndex: sec.index,
          insnOffset: start / 8,
          insnCount: size / 8,
          global: f.bind !== STB_LOCAL,
        });
        continue;
      }
      if (f.bind === STB_LOCAL) {
        warnings.push(`section ${sec.name}: program '${f.name}' is static; libbpf refuses static programs outside .text`);
      }
      programs.push(describeProgram(f, sec, start, size));
    }
  }
  for (const p of programs) {
    if (p.type === undefined) warnings.push(`program '${p.name}': section name '${p.section}' matches no libbpf section definition`);
  }
  return { programs, subprograms, warnings };
}

function describeProgram(f: ElfSymbol, sec: ElfSection, start: number, size: number): BpfProgram {
  const autoload = !sec.name.startsWith('?');
  const name = autoload ? sec.name : sec.name.slice(1);
  const match = findSecDef(name);
  // What follows the definition's prefix: "do_nanosleep" in "kprobe/do_nanosleep".
  let attachTarget: string | undefined;
  if (match !== undefined) {
    // A '+' pattern is as long as its prefix plus the '/' that follows it.
    const pattern = match.def.sec;
    const open = pattern.endsWith('+') || pattern.endsWith('/');
    if (open && name.length > pattern.length) attachTarget = name.slice(pattern.length);
  }
  return {
    name: f.name,
    section: name,
    sectionIndex: sec.index,
    insnOffset: start / 8,
    insnCount: size / 8,
    autoload,
    type: match?.progType,
    typeName: match === undefined ? undefined : progTypeName(match.progType),
    expectedAttachType: match?.expectedAttachType ?? 0,
    expectedAttachTypeName: match?.def.attachType === undefined ? undefined : attachTypeName(match.expectedAttachType),
    progFlags: match?.progFlags ?? 0,
    secDef: match?.def.sec,
    attachTarget,
    calls: [],
  };
}
