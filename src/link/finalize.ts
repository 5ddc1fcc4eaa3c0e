import { encodeBtfExt } from '../btf/ext/encode.js';
import type { BtfExt, ExtInfo, ExtSection, FuncInfo, LineInfo, CoreRelo } from '../btf/ext/types.js';
import { Kind } from '../btf/kinds.js';
import type { DatasecType } from '../btf/types.js';
import type { DedupRecords } from '../btf/dedup/records.js';
import { dedupRecords } from '../btf/dedup/records-dedup.js';
import {
  addSection,
  createElf,
  encodeRelocations,
  encodeSymbols,
  SHF_STRINGS,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_REL,
  SHT_SYMTAB,
  STB_LOCAL,
  writeElf,
  type ElfSymbol,
} from '../elf/index.js';
import { StringTableBuilder } from '../internal/strings.js';
import { placeDatasecEntries } from './btf-append.js';
import { encodeLinkedBtf } from './btf-encode.js';
import { linkError } from './errors.js';
import type { ExtRecords, LinkState, OutSection, OutSymbol } from './model.js';
import { sectionBytes } from './sections.js';

export interface FinalizeResult {
  bytes: Uint8Array;
  btfTypes: number;
  symbols: OutSymbol[];
}

/**
 * Stage 7 (libbpf: bpf_linker__finalize): DATASECs rebuilt from the final
 * layout, BTF deduplicated (dedup's id map applied to .BTF.ext), string
 * tables built, and the ELF laid out: NULL, .strtab, .symtab, data and code
 * sections in first-seen order, their relocation sections, .BTF, .BTF.ext.
 * Locals come first in the symbol table, as ELF requires.
 */
export function finalizeLink(state: LinkState, output: string | undefined): FinalizeResult {
  const le = state.littleEndian ?? true;

  // BTF
  let btfBytes: Uint8Array | undefined;
  let extBytes: Uint8Array | undefined;
  let btfTypes = 0;
  const out = state.btf;
  if (out.count > 1) {
    placeDatasecEntries(state, (id) => out.sizeOf(id));
    // DATASECs go after the types for this link only: a failed finalize
    // must leave the state as it was.
    const end = out.count;
    let recs: DedupRecords;
    let kept: number[];
    let typeMap: Uint32Array;
    try {
      for (const s of state.sections) {
        if (!s.hasBtf) continue;
        const ds: DatasecType = {
          kind: Kind.Datasec,
          id: out.count,
          name: s.name,
          nameOff: 0,
          kflag: false,
          size: s.ephemeral ? 0 : s.size,
          vars: s.datasec.map((e) => ({ type: e.type, offset: e.offset, size: e.size })),
        };
        out.addType(ds);
      }
      // A copy: the dedup rewrites records, and a failed finalize must
      // leave the state as it was.
      recs = out.snapshot();
      ({ kept, typeMap } = dedupRecords(recs, { file: output }));
    } finally {
      out.truncate(end);
    }
    const mapId = (id: number): number => {
      if (id >= typeMap.length) throw linkError('OUT_OF_RANGE', `BTF dedup returned no mapping for type [${id}]`, { file: output });
      return typeMap[id];
    };
    const ext = collectExt(state, mapId);
    const encoded = encodeLinkedBtf(recs, kept, typeMap, le, extStrings(ext));
    const offsetOf = encoded.offsetOf;
    btfTypes = encoded.types;
    btfBytes = encoded.bytes;
    if (ext !== undefined) {
      for (const info of [ext.funcInfo, ext.lineInfo, ext.coreRelo] as ExtInfo<object>[]) {
        for (const s of info.sections) s.secNameOff = offsetOf(s.secName);
      }
      for (const s of ext.lineInfo.sections) {
        for (const r of s.records) {
          r.fileNameOff = offsetOf(r.fileName);
          r.lineOff = offsetOf(r.line);
        }
      }
      for (const s of ext.coreRelo.sections) for (const r of s.records) r.accessStrOff = offsetOf(r.accessStr);
      extBytes = encodeBtfExt(ext, { littleEndian: le });
    }
  }

  // Symbols: NULL, locals, globals.
  const locals = state.symbols.filter((s) => s.bind === STB_LOCAL);
  const globals = state.symbols.filter((s) => s.bind !== STB_LOCAL);
  const ordered = [...locals, ...globals];
  const symIndex = new Map<OutSymbol, number>();
  ordered.forEach((s, i) => symIndex.set(s, i + 1));

  // Sections
  const dataSecs = state.sections.filter((s) => !s.ephemeral && !s.isRel);
  const relSecs = state.sections.filter((s) => s.isRel && s.relTarget !== undefined && !s.relTarget.ephemeral);
  const elfIndex = new Map<OutSection, number>();
  dataSecs.forEach((s, i) => elfIndex.set(s, 3 + i));
  relSecs.forEach((s, i) => elfIndex.set(s, 3 + dataSecs.length + i));

  const strtab = new StringTableBuilder();
  const nameOf = (s: string): number => strtab.add(s);
  const shNames = ['.strtab', '.symtab', ...dataSecs.map((s) => s.name), ...relSecs.map((s) => s.name)];
  if (btfBytes !== undefined) shNames.push('.BTF');
  if (extBytes !== undefined) shNames.push('.BTF.ext');
  for (const n of shNames) nameOf(n);

  const elfSyms: ElfSymbol[] = [nullSymbol()];
  for (const s of ordered) {
    elfSyms.push({
      index: elfSyms.length,
      name: s.name,
      nameOffset: nameOf(s.name),
      value: s.value,
      size: s.size,
      bind: s.bind,
      type: s.type,
      visibility: s.visibility,
      other: s.other,
      shndx: s.section !== undefined ? elfIndex.get(s.section)! : s.shndx,
    });
  }

  const elf = createElf({ littleEndian: le, fileName: output });
  const strSec = elf.sections[1];
  strSec.name = '.strtab';
  strSec.flags = SHF_STRINGS;
  addSection(elf, {
    name: '.symtab',
    type: SHT_SYMTAB,
    data: encodeSymbols(elfSyms, le),
    link: 1,
    info: locals.length + 1,
    addralign: 8,
    entsize: 24,
  });
  for (const s of dataSecs) {
    addSection(elf, {
      name: s.name,
      type: s.type,
      flags: s.flags,
      data: s.type === SHT_NOBITS ? undefined : sectionBytes(s),
      size: s.size,
      addralign: s.align,
      entsize: s.entsize,
    });
  }
  for (const s of relSecs) {
    const relocs = s.relocs.map((r, i) => ({ index: i, offset: BigInt(r.offset), symbol: symIndex.get(r.symbol)!, type: r.type }));
    addSection(elf, {
      name: s.name,
      type: SHT_REL,
      flags: s.flags,
      data: encodeRelocations(relocs, le, false),
      link: 2,
      info: elfIndex.get(s.relTarget!)!,
      addralign: 8,
      entsize: 16,
    });
  }
  if (btfBytes !== undefined) addSection(elf, { name: '.BTF', type: SHT_PROGBITS, data: btfBytes, addralign: 8 });
  if (extBytes !== undefined) addSection(elf, { name: '.BTF.ext', type: SHT_PROGBITS, data: extBytes, addralign: 8 });
  strSec.data = strtab.finish();
  strSec.size = strSec.data.byteLength;
  for (const s of elf.sections) if (s.index !== 0) s.nameOffset = nameOf(s.name);
  return { bytes: writeElf(elf, { layout: 'fresh' }), btfTypes, symbols: ordered };
}

function nullSymbol(): ElfSymbol {
  return { index: 0, name: '', nameOffset: 0, value: 0n, size: 0n, bind: 0, type: 0, visibility: 0, other: 0, shndx: 0 };
}

/** The output .BTF.ext, sections in output order; undefined when empty. */
function collectExt(state: LinkState, mapId: (id: number) => number): BtfExt | undefined {
  const pick = <R>(key: 'funcInfo' | 'lineInfo' | 'coreRelo', fix: (r: R) => R): ExtInfo<R> => {
    let recSize = 0;
    const sections: ExtSection<R>[] = [];
    for (const s of state.sections) {
      const recs = (s as unknown as Record<string, ExtRecords<R> | undefined>)[key];
      if (recs === undefined || recs.records.length === 0) continue;
      if (recSize === 0) recSize = recs.recSize;
      if (recSize !== recs.recSize) {
        throw linkError('UNSUPPORTED', `.BTF.ext ${key} record sizes differ between sections (${recSize} vs ${recs.recSize})`);
      }
      sections.push({ secName: s.name, secNameOff: 0, records: recs.records.map(fix) });
    }
    return { recSize, sections };
  };
  const funcInfo = pick<FuncInfo>('funcInfo', (r) => ({ ...r, typeId: mapId(r.typeId) }));
  const lineInfo = pick<LineInfo>('lineInfo', (r) => ({ ...r }));
  const coreRelo = pick<CoreRelo>('coreRelo', (r) => ({ ...r, typeId: mapId(r.typeId) }));
  if (funcInfo.sections.length + lineInfo.sections.length + coreRelo.sections.length === 0) return undefined;
  return {
    littleEndian: state.littleEndian ?? true,
    header: {
      version: 1,
      flags: 0,
      hdrLen: 32,
      // Lengths that cannot match force encodeBtfExt to lay sections out anew.
      funcInfoOff: 0,
      funcInfoLen: -1,
      lineInfoOff: 0,
      lineInfoLen: -1,
      coreReloOff: 0,
      coreReloLen: -1,
      extra: new Uint8Array(0),
      trailing: new Uint8Array(0),
    },
    funcInfo,
    lineInfo,
    coreRelo,
  };
}

function* extStrings(ext: BtfExt | undefined): Iterable<string> {
  if (ext === undefined) return;
  for (const s of ext.funcInfo.sections) yield s.secName;
  for (const s of ext.lineInfo.sections) {
    yield s.secName;
    for (const r of s.records) {
      yield r.fileName;
      yield r.line;
    }
  }
  for (const s of ext.coreRelo.sections) {
    yield s.secName;
    for (const r of s.records) yield r.accessStr;
  }
}
