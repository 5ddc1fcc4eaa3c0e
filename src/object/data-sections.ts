import { Kind, type Btf } from '../btf/index.js';
import { SHF_WRITE, SHT_NOBITS, type ElfFile, type ElfSymbol } from '../elf/index.js';
import { layOutDatasec } from './datasec-layout.js';
import { typeDescription } from './type-names.js';
import type { DataSection, DataVariable } from './types.js';

/** Section names libbpf turns into global-data maps. */
export function isDataSectionName(name: string): boolean {
  return (
    name === '.data' ||
    name.startsWith('.data.') ||
    name === '.rodata' ||
    name.startsWith('.rodata.') ||
    name === '.bss' ||
    name.startsWith('.bss.')
  );
}

const LINKAGES = ['static', 'global', 'extern'];

/**
 * Global data sections with their DATASEC variables. clang writes each
 * DATASEC with size 0 (and libbpf fixes it from the ELF section at open); the
 * size here is always the ELF section's, and `sizeFixedUp` records the fix.
 */
export function findDataSections(elf: ElfFile, btf: Btf | undefined, symbols: ElfSymbol[], file: string | undefined): DataSection[] {
  const out: DataSection[] = [];
  for (const sec of elf.sections) {
    if (!isDataSectionName(sec.name)) continue;
    const ds = btf?.find(sec.name, Kind.Datasec);
    const variables: DataVariable[] = [];
    let sizeFixedUp = false;
    if (ds !== undefined && ds.kind === Kind.Datasec) {
      sizeFixedUp = ds.size !== sec.size;
      for (const v of layOutDatasec(btf!, ds, sec, symbols, file)) {
        variables.push({
          name: v.name,
          offset: v.offset,
          size: v.size,
          typeId: v.type,
          typeName: typeDescription(btf!, v.type),
          linkage: LINKAGES[v.linkage] ?? String(v.linkage),
        });
      }
      variables.sort((a, b) => a.offset - b.offset);
    }
    out.push({
      name: sec.name,
      sectionIndex: sec.index,
      size: sec.size,
      readonly: (sec.flags & SHF_WRITE) === 0n,
      initial: sec.type === SHT_NOBITS ? undefined : sec.data,
      variables,
      sizeFixedUp,
    });
  }
  return out;
}
