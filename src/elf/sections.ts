import { SHN_XINDEX, SHT_NOBITS, SHT_NULL, SHT_SYMTAB } from './constants.js';
import type { ElfFile, ElfHeader, ElfSection } from './types.js';

/** Whether a section of this type occupies bytes in the file. */
export function hasFileData(type: number): boolean {
  return type !== SHT_NOBITS && type !== SHT_NULL;
}

/** How a section is named in errors: its name, or `#index` when it has none. */
export function sectionLabel(s: Pick<ElfSection, 'name' | 'index'>): string {
  return s.name !== '' ? s.name : `#${s.index}`;
}

/** The index of the section name table, following SHN_XINDEX to section 0's
 * sh_link (0 means the file has no section names). */
export function resolveShstrndx(header: ElfHeader, sections: readonly ElfSection[]): number {
  if (header.shstrndx === SHN_XINDEX) return sections.length > 0 ? sections[0].link : 0;
  return header.shstrndx;
}

/** The section name table, if the file has one. */
export function sectionNameTable(elf: ElfFile): ElfSection | undefined {
  const i = resolveShstrndx(elf.header, elf.sections);
  return i > 0 && i < elf.sections.length ? elf.sections[i] : undefined;
}

/** The first section called `name`. */
export function findSection(elf: ElfFile, name: string): ElfSection | undefined {
  return elf.sections.find((s) => s.name === name);
}

/** All sections of the given type, in index order. */
export function sectionsOfType(elf: ElfFile, type: number): ElfSection[] {
  return elf.sections.filter((s) => s.type === type);
}

/** The static symbol table (relocatable objects have at most one). */
export function symbolTable(elf: ElfFile): ElfSection | undefined {
  return elf.sections.find((s) => s.type === SHT_SYMTAB);
}

/** The position of `s` in `elf.sections`; falls back to `s.index` for a copy
 * of a section that is not in the array itself. */
export function sectionPosition(elf: ElfFile, s: ElfSection): number {
  const i = elf.sections.indexOf(s);
  return i >= 0 ? i : s.index;
}
