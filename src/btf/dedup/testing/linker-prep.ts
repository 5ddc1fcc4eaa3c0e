import { remapTypeRefs } from '../../type-refs.js';
import { readElf, readSymbols, SHT_NOBITS, STT_OBJECT, type ElfFile, type ElfSection } from '../../../elf/index.js';
import { StringTable, StringTableBuilder } from '../../../internal/strings.js';
import { Btf } from '../../btf.js';
import type { BtfExt } from '../../ext/types.js';
import { Kind, LINKAGE_GLOBAL } from '../../kinds.js';
import { btfExtFromElf, btfFromElf } from '../../load.js';
import type { AnyBtfType, DatasecType, VarSecinfo } from '../../types.js';

/**
 * Test support: the BTF libbpf 1.1's static linker hands to btf__dedup
 * (`bpftool gen object OUT IN.o...`), rebuilt from the objects. Only what
 * these tests need is modelled (no extern resolution, no same-named
 * globals, no second license section); the real linker lives in src/link.
 *
 * - Per object, every type but DATASECs is appended, ids shifted.
 * - Same-named sections are concatenated, each piece aligned to the larger
 *   of the two alignments; a DATASEC per output section that had one comes
 *   last (output section order = first appearance, objects in order, ELF
 *   sections in index order, then BTF-only ones such as .kconfig), sized
 *   as the output section, its variables placed at the piece's offset plus
 *   the variable's ELF symbol value.
 * - Strings are added to one table as the linker adds them: per object the
 *   types' strings then line_info file/line text and CO-RE access strings,
 *   then the DATASEC names, then .BTF.ext section names (func_info,
 *   line_info, CO-RE, each in output section order). libbpf's dedup keeps
 *   that table (the BTF was built from scratch), hence `strings: 'keep'`.
 */
export interface LinkerInput {
  btf: Btf;
  ext: BtfExt | undefined;
}

interface OutSection {
  name: string;
  size: number;
  align: number;
  hasBtf: boolean;
  vars: VarSecinfo[];
  order: number;
  extKinds: Set<number>;
}

export function linkerDedupInput(bytes: Uint8Array, file?: string): LinkerInput {
  return linkerDedupInputOf([{ bytes, file }]);
}

export function linkerDedupInputOf(objects: { bytes: Uint8Array; file?: string }[]): LinkerInput {
  const strings = new StringTableBuilder();
  const add = (s: string): number => (s === '' ? 0 : strings.add(s));
  const out: AnyBtfType[] = [];
  const secs = new Map<string, OutSection>();
  const outSec = (name: string): OutSection => {
    let s = secs.get(name);
    if (s === undefined) {
      s = { name, size: 0, align: 1, hasBtf: false, vars: [], order: secs.size, extKinds: new Set() };
      secs.set(name, s);
    }
    return s;
  };
  let lastExt: BtfExt | undefined;

  for (const { bytes, file } of objects) {
    const elf = readElf(bytes, { file });
    const btf = btfFromElf(elf, { file });
    const ext = btfExtFromElf(elf, btf, file);
    lastExt = ext;
    const symbols = readSymbols(elf);

    // Where each of this object's sections lands in the output.
    const pieceOff = new Map<string, number>();
    for (const s of elf.sections) {
      if (!isDataSection(s)) continue;
      const o = outSec(s.name);
      const align = Math.max(o.align, s.addralign || 1);
      const at = Math.ceil(o.size / align) * align;
      pieceOff.set(s.name, at);
      o.size = at + s.size;
      o.align = align;
    }

    const base = out.length; // ids of this object start at base + 1
    const newId = new Uint32Array(btf.typeCount);
    let n = 0;
    for (const t of btf) if (t.kind !== Kind.Datasec) newId[t.id] = base + ++n;
    const r = (id: number): number => (id === 0 ? 0 : newId[id]);
    for (const t of btf) {
      if (t.kind === Kind.Datasec) continue;
      const c = remapTypeRefs(t, newId[t.id], r);
      visitNames(c, add);
      out.push(c);
    }
    for (const t of btf) {
      if (t.kind !== Kind.Datasec || t.name === '.extern') continue;
      const sec = elf.sections.find((s) => s.name === t.name);
      const o = outSec(t.name);
      o.hasBtf = true;
      o.vars.push(...placeVars(btf, t, sec, elf, symbols, pieceOff.get(t.name) ?? 0, r));
    }
    if (ext !== undefined) {
      for (const s of ext.lineInfo.sections) for (const rec of s.records) (add(rec.fileName), add(rec.line));
      for (const s of ext.coreRelo.sections) for (const rec of s.records) add(rec.accessStr);
      const infos = [ext.funcInfo, ext.lineInfo, ext.coreRelo] as { sections: { secName: string; records: unknown[] }[] }[];
      infos.forEach((info, k) => {
        for (const s of info.sections) if (s.records.length > 0) outSec(s.secName).extKinds.add(k);
      });
    }
  }

  const ordered = [...secs.values()].sort((a, b) => a.order - b.order);
  for (const s of ordered) {
    if (!s.hasBtf) continue;
    add(s.name);
    const ds: DatasecType = { id: out.length + 1, kind: Kind.Datasec, name: s.name, nameOff: 0, kflag: false, size: s.size, vars: s.vars };
    out.push(ds);
  }
  for (let k = 0; k < 3; k++) for (const s of ordered) if (s.extKinds.has(k)) add(s.name);

  const table = new StringTable(strings.finish());
  for (const t of out) visitNames(t, (s) => s.length, true, add);
  const littleEndian = readElf(objects[0].bytes).littleEndian;
  return { btf: new Btf({ types: out, strings: table, littleEndian }), ext: lastExt };
}

/** Sections that are copied into the output (and may carry a DATASEC). */
function isDataSection(s: ElfSection): boolean {
  return s.index !== 0 && (s.type === 1 /* PROGBITS */ || s.type === SHT_NOBITS) && s.name !== '.BTF' && s.name !== '.BTF.ext';
}

function placeVars(
  btf: Btf,
  ds: DatasecType,
  sec: ElfSection | undefined,
  elf: ElfFile,
  symbols: ReturnType<typeof readSymbols>,
  at: number,
  r: (id: number) => number,
): VarSecinfo[] {
  void elf;
  return ds.vars.map((v) => {
    const vt = btf.type(v.type);
    let offset = v.offset;
    if (sec !== undefined && vt !== undefined && vt.kind === Kind.Var && vt.linkage === LINKAGE_GLOBAL) {
      const sym = symbols.find((s) => s.shndx === sec.index && s.type === STT_OBJECT && s.name === vt.name);
      if (sym !== undefined) offset = Number(sym.value);
    }
    return { type: r(v.type), offset: offset + at, size: v.size };
  });
}

/** Visit a type's strings in libbpf's order (name, then member, enumerator
 * or parameter names); with `assign`, store each one's offset instead. */
function visitNames(t: AnyBtfType, visit: (s: string) => unknown, assign = false, off?: (s: string) => number): void {
  const one = <T extends { name: string; nameOff: number }>(x: T): void => {
    if (assign) x.nameOff = off!(x.name);
    else visit(x.name);
  };
  one(t);
  if (t.kind === Kind.Struct || t.kind === Kind.Union) t.members.forEach(one);
  if (t.kind === Kind.Enum) t.values.forEach(one);
  if (t.kind === Kind.Enum64) t.values.forEach(one);
  if (t.kind === Kind.FuncProto) t.params.forEach(one);
}
