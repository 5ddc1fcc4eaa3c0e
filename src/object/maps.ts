import { Kind, sizeOf, type Btf } from '../btf/index.js';
import { findSection, readRelocations, SHT_REL, STB_LOCAL, STT_FUNC, STT_OBJECT, type ElfFile, type ElfSymbol } from '../elf/index.js';
import { BpfkitError, withLocation } from '../internal/errors.js';
import { isMapInMap, isProgArray, MAP_TYPES, mapTypeName } from './bpf-enums.js';
import { parseBtfMapDef } from './map-def-btf.js';
import { blankMap } from './blank-map.js';
import { typeDescription } from './type-names.js';
import { layOutDatasec } from './datasec-layout.js';
import type { BpfMap, DataSection, Extern } from './types.js';

const ARRAY = MAP_TYPES.indexOf('ARRAY');
const STRUCT_OPS = MAP_TYPES.indexOf('STRUCT_OPS');
const BPF_F_RDONLY_PROG = 1 << 7;
const BPF_F_MMAPABLE = 1 << 10;

export interface MapContext {
  elf: ElfFile;
  btf: Btf | undefined;
  symbols: ElfSymbol[];
  file: string | undefined;
}

/**
 * Maps declared with BTF in `.maps`, one per DATASEC variable, and the
 * initial `.values` slots that `.rel.maps` fills in (programs for a prog
 * array, maps for a map-in-map).
 */
export function findBtfMaps(ctx: MapContext): BpfMap[] {
  const sec = findSection(ctx.elf, '.maps');
  if (sec === undefined) return [];
  if (ctx.btf === undefined) {
    throw new BpfkitError('BAD_VALUE', 'a .maps section needs BTF to describe its maps, and the object has no .BTF', {
      file: ctx.file,
      section: '.maps',
      offset: sec.offset,
    });
  }
  const btf = ctx.btf;
  const ds = btf.find('.maps', Kind.Datasec);
  if (ds === undefined || ds.kind !== Kind.Datasec) {
    throw new BpfkitError('BAD_VALUE', 'no DATASEC .maps in BTF describes the .maps section', { file: ctx.file, section: '.maps', offset: sec.offset });
  }
  const maps: BpfMap[] = [];
  const valuesAt = new Map<BpfMap, number>();
  for (const v of layOutDatasec(btf, ds, sec, ctx.symbols, ctx.file)) {
    // Type walks deeper in the BTF can fail without knowing the map.
    const { map, valuesOffset } = withLocation({ file: ctx.file, section: '.maps', symbol: v.name, offset: sec.offset + v.offset }, () =>
      parseBtfMapDef({ btf, file: ctx.file, section: '.maps' }, v.name, v.type, sec.index, v.offset),
    );
    // A BTF map definition is type information only; its bytes stay zero
    // (the `values` slots are filled through relocations; GCC also writes
    // their addends there, so they are not checked).
    const defBytes = valuesOffset === undefined ? v.size : Math.min(v.size, valuesOffset);
    const nonZero = sec.data.subarray(v.offset, v.offset + defBytes).findIndex((b) => b !== 0);
    if (nonZero >= 0) {
      throw new BpfkitError('BAD_VALUE', `map '${v.name}': the definition holds initial data at byte ${nonZero}; BTF map definitions are not initialised (only .values, through relocations)`, {
        file: ctx.file,
        section: '.maps',
        symbol: v.name,
        offset: sec.offset + v.offset + nonZero,
      });
    }
    if (map.type === MAP_TYPES.indexOf('ARENA')) map.kind = 'arena';
    maps.push(map);
    if (valuesOffset !== undefined) valuesAt.set(map, valuesOffset);
  }
  applyInitialValues(ctx, sec.index, maps, valuesAt);
  return maps;
}

/** `.rel.maps`: each relocation fills one slot of some map's `values`. */
function applyInitialValues(ctx: MapContext, mapsIndex: number, maps: BpfMap[], valuesAt: Map<BpfMap, number>): void {
  const rel = ctx.elf.sections.find((s) => s.type === SHT_REL && s.info === mapsIndex);
  if (rel === undefined) return;
  for (const r of readRelocations(ctx.elf, rel)) {
    const off = Number(r.offset);
    const sym = ctx.symbols[r.symbol];
    const fail = (detail: string): never => {
      throw new BpfkitError('BAD_VALUE', `.maps relocation #${r.index}: ${detail}`, {
        file: ctx.file,
        section: rel.name,
        symbol: sym?.name,
        offset: rel.offset + r.index * 16,
      });
    };
    if (sym === undefined) fail(`symbol index ${r.symbol} does not exist`);
    // The map whose definition starts last at or before the offset.
    let map: BpfMap | undefined;
    for (const m of maps) if (m.sectionOffset <= off && (map === undefined || m.sectionOffset > map.sectionOffset)) map = m;
    const valuesOffset = map === undefined ? undefined : valuesAt.get(map);
    if (map === undefined || valuesOffset === undefined || off < map.sectionOffset + valuesOffset) {
      return fail(`offset ${off} is not inside the 'values' of any map`);
    }
    const rel8 = off - map.sectionOffset - valuesOffset;
    if (rel8 % 8 !== 0) fail(`offset ${off} is not on an 8-byte slot of map '${map.name}'`);
    const slot = rel8 / 8;
    if (isProgArray(map.type)) {
      if (sym!.type !== STT_FUNC) fail(`prog-array '${map.name}' slot ${slot} must refer to a program, '${sym!.name}' is not a function`);
    } else if (isMapInMap(map.type)) {
      if (!maps.some((m) => m.name === sym!.name)) fail(`map-in-map '${map.name}' slot ${slot} refers to '${sym!.name}', which is not a map in .maps`);
    }
    map.initialValues.push({ slot, target: sym!.name });
    if (slot + 1 > map.maxEntries) fail(`slot ${slot} is beyond max_entries ${map.maxEntries} of map '${map.name}'`);
  }
  for (const m of maps) m.initialValues.sort((a, b) => a.slot - b.slot);
}

/**
 * Legacy `maps` section entries (struct bpf_map_def, 20 bytes, or iproute2's
 * struct bpf_elf_map, 36 bytes). libbpf 1.0 and later refuse them; they are
 * read here so that such objects can still be inspected.
 */
export function findLegacyMaps(ctx: MapContext): BpfMap[] {
  const sec = findSection(ctx.elf, 'maps');
  if (sec === undefined) return [];
  const syms = ctx.symbols
    .filter((s) => s.shndx === sec.index && s.name !== '' && (s.type === STT_OBJECT || s.type === 0))
    .sort((a, b) => Number(a.value - b.value));
  if (syms.length === 0) return [];
  // Each map symbol's size is its definition's size; without sizes (very
  // old compilers) the section divides evenly, as old libbpf assumed.
  // A NOBITS `maps` section has a size but no bytes to read.
  const secBytes = sec.data.byteLength;
  const evenSize = secBytes / syms.length;
  const v = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
  const le = ctx.elf.littleEndian;
  return syms.map((s) => {
    const off = Number(s.value);
    const defSize = s.size > 0n ? Number(s.size) : evenSize;
    if (!Number.isInteger(defSize) || defSize < 20 || defSize % 4 !== 0 || off + defSize > secBytes) {
      throw new BpfkitError('BAD_VALUE', `legacy map definition at offset ${off} of ${defSize} bytes does not fit the maps section (${secBytes} bytes of data; a definition is at least 20)`, {
        file: ctx.file,
        section: 'maps',
        symbol: s.name,
      });
    }
    if (s.bind === STB_LOCAL) {
      throw new BpfkitError('BAD_VALUE', `legacy map '${s.name}' is static; map definitions must be global symbols`, {
        file: ctx.file,
        section: 'maps',
        symbol: s.name,
      });
    }
    const iproute2 = defSize >= 36;
    const known = iproute2 ? 36 : 20;
    for (let i = off + known; i < off + defSize; i++) {
      if (sec.data[i] !== 0) {
        throw new BpfkitError('BAD_VALUE', `legacy map '${s.name}': its ${defSize}-byte definition has non-zero bytes past the ${known} bytes any loader understands (byte ${i - off})`, {
          file: ctx.file,
          section: 'maps',
          symbol: s.name,
          offset: sec.offset + i,
        });
      }
    }
    const m = blankMap(s.name, iproute2 ? 'legacy-iproute2' : 'legacy', 'maps', sec.index, off);
    m.type = v.getUint32(off, le);
    m.typeName = mapTypeName(m.type);
    m.keySize = v.getUint32(off + 4, le);
    m.valueSize = v.getUint32(off + 8, le);
    m.maxEntries = v.getUint32(off + 12, le);
    m.mapFlags = v.getUint32(off + 16, le);
    if (defSize >= 36) {
      m.legacy = { id: v.getUint32(off + 20, le), pinning: v.getUint32(off + 24, le), innerId: v.getUint32(off + 28, le), innerIdx: v.getUint32(off + 32, le) };
      m.pinning = m.legacy.pinning;
    }
    return m;
  });
}

/** One ARRAY map per non-empty global-data section, as libbpf creates them
 * (GCC leaves empty .data/.bss sections that libbpf skips). */
export function dataMaps(sections: DataSection[], btf: Btf | undefined): BpfMap[] {
  return sections.filter((ds) => ds.size > 0).map((ds) => {
    const m = blankMap(ds.name, 'data', ds.name, ds.sectionIndex, 0);
    m.type = ARRAY;
    m.typeName = mapTypeName(ARRAY);
    m.keySize = 4;
    m.valueSize = ds.size;
    m.maxEntries = 1;
    m.mapFlags = (ds.readonly ? BPF_F_RDONLY_PROG : 0) | BPF_F_MMAPABLE;
    const dsType = btf?.find(ds.name, Kind.Datasec);
    if (dsType !== undefined) {
      m.valueTypeId = dsType.id;
      m.valueTypeName = `datasec ${ds.name}`;
    }
    return m;
  });
}

/**
 * The `.kconfig` map libbpf creates when the object uses Kconfig externs:
 * the values laid out by descending alignment, then name, as libbpf does.
 */
export function kconfigMap(externs: Extern[], btf: Btf | undefined): BpfMap | undefined {
  const kcfg = externs.filter((e) => e.kind === 'kconfig');
  if (kcfg.length === 0 || btf === undefined) return undefined;
  const sized = kcfg.map((e) => {
    // Kconfig externs are classified already (ints, enums, char arrays), so
    // every one has a size.
    const size = sizeOf(btf, e.valueTypeId!);
    const align = e.kconfigType === 'char_arr' ? 1 : Math.min(size, 8);
    return { e, size, align };
  });
  sized.sort((a, b) => b.align - a.align || (a.e.name < b.e.name ? -1 : a.e.name > b.e.name ? 1 : 0));
  let off = 0;
  for (const s of sized) {
    off = Math.ceil(off / s.align) * s.align;
    off += s.size;
  }
  const m = blankMap('.kconfig', 'kconfig', '.kconfig', 0, 0);
  m.type = ARRAY;
  m.typeName = mapTypeName(ARRAY);
  m.keySize = 4;
  m.valueSize = off;
  m.maxEntries = 1;
  m.mapFlags = BPF_F_RDONLY_PROG | BPF_F_MMAPABLE;
  const ds = btf.find('.kconfig', Kind.Datasec);
  if (ds !== undefined) m.valueTypeId = ds.id;
  return m;
}

/** `.struct_ops` / `.struct_ops.link`: each variable is a STRUCT_OPS map. */
export function structOpsMaps(ctx: MapContext): BpfMap[] {
  const out: BpfMap[] = [];
  for (const secName of ['.struct_ops', '.struct_ops.link']) {
    const sec = findSection(ctx.elf, secName);
    if (sec === undefined || ctx.btf === undefined) continue;
    const ds = ctx.btf.find(secName, Kind.Datasec);
    if (ds === undefined || ds.kind !== Kind.Datasec) continue;
    for (const v of layOutDatasec(ctx.btf, ds, sec, ctx.symbols, ctx.file)) {
      const vt = { name: v.name, type: v.type };
      const m = blankMap(vt.name, 'struct_ops', secName, sec.index, v.offset);
      m.type = STRUCT_OPS;
      m.typeName = mapTypeName(STRUCT_OPS);
      m.keySize = 4;
      m.valueSize = v.size;
      m.maxEntries = 1;
      m.valueTypeId = vt.type;
      m.valueTypeName = typeDescription(ctx.btf, vt.type);
      out.push(m);
    }
  }
  return out;
}
