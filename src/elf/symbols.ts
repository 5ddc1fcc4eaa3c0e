import { BpfkitError, withLocation } from '../internal/errors.js';
import { Reader } from '../internal/reader.js';
import { StringTable } from '../internal/strings.js';
import { Writer } from '../internal/writer.js';
import { ELF64_SYM_SIZE, SHN_LORESERVE, SHN_XINDEX, SHT_DYNSYM, SHT_SYMTAB, SHT_SYMTAB_SHNDX } from './constants.js';
import { sectionLabel, sectionPosition, symbolTable } from './sections.js';
import type { ElfFile, ElfSection } from './types.js';

export interface ElfSymbol {
  /** Position in the symbol table (relocations refer to symbols by it). */
  index: number;
  name: string;
  /** st_name: offset of the name in the linked string table. */
  nameOffset: number;
  value: bigint;
  size: bigint;
  /** STB_* (high nibble of st_info). */
  bind: number;
  /** STT_* (low nibble of st_info). */
  type: number;
  /** STV_* (low two bits of st_other). */
  visibility: number;
  /** The whole st_other byte; encoding takes visibility from `visibility`. */
  other: number;
  /** The section index, already resolved through SYMTAB_SHNDX when st_shndx
   * is SHN_XINDEX; otherwise st_shndx itself (which may be SHN_ABS etc.). */
  shndx: number;
  /** st_shndx was SHN_XINDEX: the index lives in the SYMTAB_SHNDX section. */
  extendedIndex?: boolean;
}

/** st_info from binding and type. */
export function symbolInfo(bind: number, type: number): number {
  return ((bind & 0xf) << 4) | (type & 0xf);
}

/**
 * Decode a symbol table (by default the file's SYMTAB). Names come from the
 * section named by sh_link; extended section indexes come from the
 * SYMTAB_SHNDX section linked to this table.
 */
export function readSymbols(elf: ElfFile, symtab: ElfSection | undefined = symbolTable(elf)): ElfSymbol[] {
  if (symtab === undefined) return [];
  const where = { file: elf.fileName, section: sectionLabel(symtab) };
  return withLocation(where, () => {
    if (symtab.type !== SHT_SYMTAB && symtab.type !== SHT_DYNSYM) {
      throw new BpfkitError('BAD_KIND', `section type 0x${symtab.type.toString(16)} is not a symbol table`, { offset: symtab.offset });
    }
    const data = symtab.data;
    if (data.byteLength % ELF64_SYM_SIZE !== 0) {
      throw new BpfkitError('BAD_VALUE', `symbol table size ${data.byteLength} is not a multiple of ${ELF64_SYM_SIZE}`, { offset: symtab.offset });
    }
    const strtab = elf.sections[symtab.link];
    if (symtab.link === 0 || strtab === undefined) {
      throw new BpfkitError('OUT_OF_RANGE', `symbol table sh_link ${symtab.link} does not name a string table`, { offset: symtab.offset });
    }
    const names = new StringTable(strtab.data);
    const xindex = extendedIndexes(elf, symtab);
    const r = new Reader(data, elf.littleEndian, symtab.offset);
    const count = data.byteLength / ELF64_SYM_SIZE;
    const out: ElfSymbol[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const at = i * ELF64_SYM_SIZE;
      r.seek(at);
      const nameOffset = r.u32();
      const info = r.u8();
      const other = r.u8();
      const rawShndx = r.u16();
      const value = r.u64();
      const size = r.u64();
      const sym: ElfSymbol = {
        index: i,
        name: symbolName(names, nameOffset, symtab.offset + at),
        nameOffset,
        value,
        size,
        bind: info >> 4,
        type: info & 0xf,
        visibility: other & 3,
        other,
        shndx: rawShndx,
      };
      if (rawShndx === SHN_XINDEX) {
        if (xindex === undefined || (i + 1) * 4 > xindex.length) {
          throw new BpfkitError('BAD_VALUE', `symbol ${i} uses SHN_XINDEX but there is no SYMTAB_SHNDX entry for it`, {
            offset: symtab.offset + at + 6,
          });
        }
        sym.shndx = xindex.u32At(i * 4);
        sym.extendedIndex = true;
      }
      out[i] = sym;
    }
    return out;
  });
}

function symbolName(names: StringTable, offset: number, at: number): string {
  if (!names.has(offset)) {
    throw new BpfkitError('OUT_OF_RANGE', `st_name ${offset} is outside the string table (size ${names.size})`, { offset: at });
  }
  try {
    return names.get(offset);
  } catch (e) {
    if (e instanceof BpfkitError) e.offset = at;
    throw e;
  }
}

function extendedIndexes(elf: ElfFile, symtab: ElfSection): Reader | undefined {
  const pos = sectionPosition(elf, symtab);
  const s = elf.sections.find((x) => x.type === SHT_SYMTAB_SHNDX && x.link === pos);
  return s === undefined ? undefined : new Reader(s.data, elf.littleEndian, s.offset);
}

/** Whether a symbol's index must be stored in SYMTAB_SHNDX. */
function needsExtendedIndex(s: ElfSymbol): boolean {
  return s.extendedIndex === true || s.shndx > 0xffff;
}

/** Encode symbols as SYMTAB section bytes; nameOffset is used as given. */
export function encodeSymbols(symbols: readonly ElfSymbol[], littleEndian: boolean): Uint8Array {
  const w = new Writer(littleEndian, symbols.length * ELF64_SYM_SIZE);
  for (const s of symbols) {
    w.u32(s.nameOffset);
    w.u8(symbolInfo(s.bind, s.type));
    w.u8((s.other & ~3) | (s.visibility & 3));
    w.u16(needsExtendedIndex(s) ? SHN_XINDEX : s.shndx);
    w.u64(BigInt.asUintN(64, s.value));
    w.u64(BigInt.asUintN(64, s.size));
  }
  return w.finish();
}

/**
 * Encode the SYMTAB_SHNDX companion of `symbols`, or undefined when no symbol
 * needs one. A caller that creates symbols in sections numbered
 * SHN_LORESERVE or above must set `extendedIndex` on them.
 */
export function encodeSymbolIndexes(symbols: readonly ElfSymbol[], littleEndian: boolean): Uint8Array | undefined {
  if (!symbols.some(needsExtendedIndex)) return undefined;
  const w = new Writer(littleEndian, symbols.length * 4);
  for (const s of symbols) w.u32(needsExtendedIndex(s) ? s.shndx : 0);
  return w.finish();
}

/** Whether `shndx` names a real section (not UNDEF, ABS, COMMON, ...). */
export function isRegularSectionIndex(s: Pick<ElfSymbol, 'shndx' | 'extendedIndex'>): boolean {
  return s.shndx !== 0 && (s.extendedIndex === true || s.shndx < SHN_LORESERVE);
}
