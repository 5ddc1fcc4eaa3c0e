import type { Btf } from '../btf/btf.js';
import type { BtfExt } from '../btf/ext/types.js';
import { Kind, LINKAGE_GLOBAL } from '../btf/kinds.js';
import { btfExtFromElf, btfFromElf } from '../btf/load.js';
import {
  EM_BPF,
  ET_REL,
  R_BPF_64_32,
  R_BPF_64_64,
  R_BPF_64_ABS32,
  R_BPF_64_ABS64,
  SHF_EXECINSTR,
  SHN_LORESERVE,
  SHT_LLVM_ADDRSIG,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_REL,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
  STV_DEFAULT,
  STV_HIDDEN,
  readElf,
  readRelocations,
  readSymbols,
  sectionTypeName,
  type ElfFile,
  type ElfSection,
} from '../elf/index.js';
import { BpfkitError } from '../internal/errors.js';
import { indexInputBtf, type InputBtfIndex } from './btf-index.js';
import { linkError } from './errors.js';
import type { InputObject, InputSection } from './model.js';

/**
 * Stage 1 (libbpf: linker_load_obj_file + linker_sanity_check_*): read one
 * input, decide which sections take part, and check everything later stages
 * rely on, so they can index without further checks. With `adopt` the
 * result may keep views into `bytes`, which the caller must not change.
 */
export function loadInput(name: string, bytes: Uint8Array, adopt = false): InputObject {
  let elf: ElfFile;
  try {
    elf = readElf(bytes, { file: name, adopt });
  } catch (e) {
    if (e instanceof BpfkitError) throw e;
    throw linkError('BAD_VALUE', `cannot read ELF: ${(e as Error).message}`, { file: name });
  }
  const h = elf.header;
  if (h.type !== ET_REL || h.machine !== EM_BPF) {
    throw linkError(
      'UNSUPPORTED',
      `not a relocatable BPF object (e_type ${h.type}, e_machine ${h.machine}; expected ET_REL ${ET_REL} and EM_BPF ${EM_BPF}): link the .o files clang -target bpf -c produces`,
      { file: name },
    );
  }

  const sections: InputSection[] = elf.sections.map((s) => inputSection(s));
  let symtab: ElfSection | undefined;
  for (const s of elf.sections) {
    if (s.index === 0) continue;
    const sec = sections[s.index];
    if (s.name === '') throw linkError('BAD_VALUE', `section #${s.index} has an empty name`, { file: name });
    if (isIgnored(s)) {
      sec.skipped = true;
      continue;
    }
    if (s.addralign !== 0 && (s.addralign & (s.addralign - 1)) !== 0) {
      throw linkError('BAD_VALUE', `alignment ${s.addralign} is not a power of two`, { file: name, section: s.name });
    }
    switch (s.type) {
      case SHT_SYMTAB:
        if (symtab !== undefined) throw linkError('UNSUPPORTED', 'more than one symbol table', { file: name, section: s.name });
        symtab = s;
        sec.skipped = true;
        break;
      case SHT_PROGBITS:
        if (s.name === '.BTF' || s.name === '.BTF.ext') {
          sec.skipped = true;
          break;
        }
        if ((s.flags & SHF_EXECINSTR) !== 0n && s.size % 8 !== 0) {
          throw linkError('BAD_VALUE', `code section size ${s.size} is not a multiple of 8 (one instruction)`, { file: name, section: s.name });
        }
        break;
      case SHT_NOBITS:
        break;
      case SHT_REL:
        sec.relTarget = s.info;
        break;
      default:
        throw linkError(
          'UNSUPPORTED',
          `section type ${sectionTypeName(s.type)} (0x${s.type.toString(16)}) is not one the BPF linker knows; compile with clang -target bpf -g -O2 -c`,
          { file: name, section: s.name },
        );
    }
  }
  if (symtab === undefined) throw linkError('BAD_VALUE', 'the object has no symbol table (SYMTAB)', { file: name });

  const symbols = readSymbols(elf, symtab);
  checkSymbols(name, elf, symbols);
  for (const s of elf.sections) {
    const sec = sections[s.index];
    if (s.type === SHT_REL && !sec.skipped) checkRelocations(name, elf, s, sections, symtab, symbols.length);
  }

  let btf: Btf | undefined;
  let ext: BtfExt | undefined;
  const btfSection = elf.sections.find((s) => s.name === '.BTF');
  if (btfSection !== undefined) {
    // Globals keep the BTF that declared them for later compatibility
    // checks. Its own copy of the section bytes (tens of KB) lets the input
    // file's buffer (hundreds of KB, mostly skipped DWARF) be collected as
    // soon as the input is added, instead of piling up until a full GC.
    btfSection.data = btfSection.data.slice();
    btf = btfFromElf(elf, { file: name });
  }
  if (elf.sections.some((s) => s.name === '.BTF.ext')) {
    if (btf === undefined) throw linkError('BAD_VALUE', 'the object has .BTF.ext but no .BTF', { file: name });
    ext = btfExtFromElf(elf, btf, name);
  }
  const obj: InputObject = {
    name,
    elf,
    littleEndian: elf.littleEndian,
    sections,
    symbols,
    btf,
    btfIndex: btf === undefined ? undefined : indexInputBtf(btf),
    ext,
    symMap: new Array(symbols.length),
    typeMap: new Uint32Array(btf === undefined ? 1 : btf.typeCount),
  };
  if (btf !== undefined) {
    checkBtfIds(obj, btf);
    fixupDatasecs(obj, btf, obj.btfIndex!);
  }
  return obj;
}

function inputSection(s: ElfSection): InputSection {
  return {
    index: s.index,
    name: s.name,
    type: s.type,
    flags: s.flags,
    size: s.size,
    align: s.addralign,
    entsize: s.entsize,
    data: s.data,
    skipped: s.index === 0,
    ephemeral: false,
    outId: -1,
    outOffset: 0,
    datasecId: 0,
    relTarget: 0,
  };
}

const isDwarf = (name: string): boolean => name.startsWith('.debug_');

/** Sections libbpf's linker leaves out of the output. */
function isIgnored(s: ElfSection): boolean {
  if (s.type === SHT_STRTAB || s.type === SHT_LLVM_ADDRSIG) return true;
  if (s.type === SHT_PROGBITS && s.size === 0 && s.name === '.text') return true;
  if (isDwarf(s.name)) return true;
  if (s.name.startsWith('.rel')) {
    const target = s.name.slice(4);
    if (isDwarf(target) || target === '.BTF' || target === '.BTF.ext') return true;
  }
  return false;
}

function checkSymbols(file: string, elf: ElfFile, symbols: ReturnType<typeof readSymbols>): void {
  for (const sym of symbols) {
    const where = { file, symbol: sym.name === '' ? `#${sym.index}` : sym.name };
    if (sym.index === 0) {
      if (sym.nameOffset !== 0 || sym.bind !== 0 || sym.type !== 0 || sym.other !== 0 || sym.shndx !== 0 || sym.value !== 0n || sym.size !== 0n) {
        throw linkError('BAD_VALUE', 'symbol #0 is not all zeros', where);
      }
      continue;
    }
    if (sym.bind !== STB_LOCAL && sym.bind !== STB_GLOBAL && sym.bind !== STB_WEAK) {
      throw linkError('UNSUPPORTED', `symbol binding ${sym.bind} is not LOCAL, GLOBAL or WEAK`, where);
    }
    if (sym.visibility !== STV_DEFAULT && sym.visibility !== STV_HIDDEN) {
      throw linkError('UNSUPPORTED', `symbol visibility ${sym.visibility} is not DEFAULT or HIDDEN`, where);
    }
    if (sym.shndx === 0) {
      if (sym.type !== STT_NOTYPE || sym.bind === STB_LOCAL || sym.value !== 0n || sym.size !== 0n) {
        throw linkError('BAD_VALUE', 'undefined symbol that is not a valid extern (must be a GLOBAL/WEAK NOTYPE with value and size 0)', where);
      }
      continue;
    }
    if (sym.shndx < SHN_LORESERVE && sym.shndx >= elf.sections.length) {
      throw linkError('OUT_OF_RANGE', `symbol points to section #${sym.shndx}, which does not exist`, where);
    }
    if (sym.type === STT_SECTION && sym.value !== 0n) throw linkError('BAD_VALUE', 'section symbol with a non-zero value', where);
  }
}

function checkRelocations(
  file: string,
  elf: ElfFile,
  s: ElfSection,
  sections: InputSection[],
  symtab: ElfSection,
  symCount: number,
): void {
  const where = { file, section: s.name };
  if (s.link !== symtab.index) throw linkError('BAD_VALUE', `sh_link ${s.link} does not name the symbol table`, where);
  if (s.info === 0 || s.info >= sections.length) throw linkError('OUT_OF_RANGE', `sh_info ${s.info} does not name a section`, where);
  const target = sections[s.info];
  if (s.name !== `.rel${target.name}`) {
    throw linkError('BAD_VALUE', `relocation section for '${target.name}' should be named '.rel${target.name}'`, where);
  }
  if (target.skipped) return;
  if (target.type !== SHT_PROGBITS && target.type !== SHT_NOBITS) {
    throw linkError('BAD_VALUE', `relocates section '${target.name}' of type ${sectionTypeName(target.type)}`, where);
  }
  const code = (target.flags & SHF_EXECINSTR) !== 0n;
  for (const r of readRelocations(elf, s)) {
    if (r.type !== R_BPF_64_64 && r.type !== R_BPF_64_32 && r.type !== R_BPF_64_ABS64 && r.type !== R_BPF_64_ABS32) {
      throw linkError('UNSUPPORTED', `relocation #${r.index} has type ${r.type}, which the BPF linker does not handle`, where);
    }
    if (r.symbol === 0 || r.symbol >= symCount) throw linkError('OUT_OF_RANGE', `relocation #${r.index} points to symbol #${r.symbol}`, where);
    if (r.offset >= BigInt(target.size) || (code && r.offset % 8n !== 0n)) {
      throw linkError('BAD_VALUE', `relocation #${r.index} offset 0x${r.offset.toString(16)} is not an instruction in '${target.name}'`, where);
    }
  }
}

/** libbpf's linker_sanity_check_btf_ext: every id refers to a type. (The
 * BTF parser already checked the ids inside .BTF.) */
function checkBtfIds(obj: InputObject, btf: Btf): void {
  const n = btf.typeCount;
  const bad = (id: number, what: string): never => {
    throw linkError('OUT_OF_RANGE', `${what} refers to type id ${id}, but the BTF has ${n - 1} types`, { file: obj.name, section: '.BTF.ext' });
  };
  const ext = obj.ext;
  if (ext === undefined) return;
  for (const s of ext.funcInfo.sections) for (const r of s.records) if (r.typeId >= n) bad(r.typeId, `.BTF.ext func_info of '${s.secName}'`);
  for (const s of ext.coreRelo.sections) for (const r of s.records) if (r.typeId >= n) bad(r.typeId, `.BTF.ext CO-RE relocation of '${s.secName}'`);
}

/**
 * libbpf's linker_fixup_btf: DATASEC sizes become the ELF section sizes,
 * global variables get their offsets from their symbols (older clang left
 * them 0), and DATASECs without an ELF section (.kconfig, .ksyms, a `.maps`
 * holding only extern maps) get an ephemeral input section. `.extern` (for
 * plain extern variables) gets none: those are resolved by the linker.
 */
function fixupDatasecs(obj: InputObject, btf: Btf, index: InputBtfIndex): void {
  // The fixes below edit the input's DATASECs in place: the Btf decodes
  // each type once and hands out the same object afterwards.
  for (const id of index.datasecs) {
    const t = btf.type(id)!;
    if (t.kind !== Kind.Datasec) continue;
    let sec = obj.sections.find((s) => s.index !== 0 && s.name === t.name);
    if (sec !== undefined) {
      t.size = sec.ephemeral ? 0 : sec.size;
    } else {
      if (t.name === '.extern') continue;
      sec = {
        ...inputSection({ index: 0, name: t.name, type: SHT_PROGBITS, flags: 0n, addr: 0n, offset: 0, size: 0, link: 0, info: 0, addralign: 0, entsize: 0, data: new Uint8Array(0), nameOffset: 0 }),
        skipped: false,
        ephemeral: true,
      };
      obj.sections.push(sec);
    }
    sec.datasecId = t.id;
    const secIndex = sec.index;
    for (const v of t.vars) {
      const vt = btf.type(v.type);
      if (vt === undefined || vt.kind !== Kind.Var || vt.linkage !== LINKAGE_GLOBAL) continue;
      const sym = obj.symbols.find((s) => s.shndx === secIndex && secIndex !== 0 && s.type === STT_OBJECT && s.name === vt.name);
      if (sym === undefined) {
        throw linkError('BAD_VALUE', `no symbol for global variable '${vt.name}' of section '${t.name}'`, { file: obj.name, section: t.name, symbol: vt.name });
      }
      v.offset = Number(sym.value);
    }
  }
}
