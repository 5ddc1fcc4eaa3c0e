import { btfExtFromElf, btfFromElf, type Btf, type BtfExt } from '../btf/index.js';
import { findSection, readElf, readSymbols, symbolTable, type ElfFile } from '../elf/index.js';
import { BpfkitError } from '../internal/errors.js';
import { readBytes } from '../internal/files.js';
import { findDataSections } from './data-sections.js';
import { findExterns } from './externs.js';
import { dataMaps, findBtfMaps, findLegacyMaps, kconfigMap, structOpsMaps } from './maps.js';
import { findCode } from './programs.js';
import { collectRelocations, type CodeRange } from './relocations.js';
import type { BpfObject } from './types.js';

export interface OpenObjectOptions {
  file?: string;
}

/** Read a BPF object file and build its model. */
export function openObjectFile(path: string): BpfObject {
  return openObject(readBytes(path), { file: path });
}

/**
 * Build the model of a BPF ELF object: programs and sub-programs, maps,
 * global data, externs, license and version, load-time relocations. Errors
 * (for what libbpf would refuse to open) name the file, section, symbol
 * and instruction.
 */
export function openObject(bytes: Uint8Array, opts: OpenObjectOptions = {}): BpfObject {
  const file = opts.file;
  const elf = readElf(bytes, { file });
  if (elf.header.machine !== 247 && elf.header.machine !== 0) {
    throw new BpfkitError('UNSUPPORTED', `ELF machine ${elf.header.machine} is not BPF (247)`, { file, offset: 18 });
  }
  const symtab = symbolTable(elf);
  if (symtab === undefined) {
    throw new BpfkitError('BAD_VALUE', 'the object has no symbol table (SHT_SYMTAB section)', { file, offset: elf.header.shoff });
  }
  const symbols = readSymbols(elf, symtab);
  const btf: Btf | undefined = findSection(elf, '.BTF') !== undefined ? btfFromElf(elf, { file }) : undefined;
  const btfExt: BtfExt | undefined = btfExtFromElf(elf, btf, file);

  const code = findCode(elf, symbols, file);
  const dataSections = findDataSections(elf, btf, symbols, file);
  const externs = findExterns(symbols, btf, file);
  const mapCtx = { elf, btf, symbols, file };
  const kcfg = kconfigMap(externs, btf);
  const maps = [
    ...findLegacyMaps(mapCtx),
    ...findBtfMaps(mapCtx),
    ...dataMaps(dataSections, btf),
    ...(kcfg !== undefined ? [kcfg] : []),
    ...structOpsMaps(mapCtx),
  ];

  const functions: CodeRange[] = [...code.programs, ...code.subprograms];
  const { relocations, warnings: relocWarnings, callees } = collectRelocations({ elf, symbols, functions, maps, externs, file });
  for (const p of code.programs) p.calls = reachable(p.name, callees);

  const specialSections: BpfObject['specialSections'] = [];
  for (const s of elf.sections) {
    if (s.name === '.struct_ops' || s.name === '.struct_ops.link') specialSections.push({ name: s.name, kind: 'struct_ops' });
    else if (s.name === '.addr_space.1') specialSections.push({ name: s.name, kind: 'arena' });
  }

  return {
    file,
    littleEndian: elf.littleEndian,
    elf,
    symbols,
    btf,
    btfExt,
    license: readLicense(elf),
    kernelVersion: readVersion(elf, file),
    programs: code.programs,
    subprograms: code.subprograms,
    maps,
    dataSections,
    externs,
    relocations,
    coreRelocationCount: btfExt?.coreRelo.sections.reduce((n, s) => n + s.records.length, 0) ?? 0,
    specialSections,
    warnings: [...code.warnings, ...relocWarnings],
  };
}

/** Functions reachable from `start` (not including it), in name order. */
function reachable(start: string, callees: Map<string, Set<string>>): string[] {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    for (const c of callees.get(stack.pop()!) ?? []) {
      if (c !== start && !seen.has(c)) {
        seen.add(c);
        stack.push(c);
      }
    }
  }
  return [...seen].sort();
}

function readLicense(elf: ElfFile): string | undefined {
  const s = findSection(elf, 'license');
  if (s === undefined) return undefined;
  const end = s.data.indexOf(0);
  return Buffer.from(s.data.subarray(0, end < 0 ? s.data.byteLength : end)).toString('latin1');
}

function readVersion(elf: ElfFile, file: string | undefined): number | undefined {
  const s = findSection(elf, 'version');
  if (s === undefined) return undefined;
  if (s.data.byteLength !== 4) {
    throw new BpfkitError('BAD_VALUE', `version section is ${s.data.byteLength} bytes, expected 4`, { file, section: 'version', offset: s.offset });
  }
  return new DataView(s.data.buffer, s.data.byteOffset, 4).getUint32(0, elf.littleEndian);
}

