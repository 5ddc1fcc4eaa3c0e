import { readElf, readSymbols, STT_OBJECT } from '../../../elf/index.js';
import { StringTable, StringTableBuilder } from '../../../internal/strings.js';
import { Btf } from '../../btf.js';
import type { BtfExt } from '../../ext/types.js';
import { Kind, LINKAGE_GLOBAL } from '../../kinds.js';
import { btfExtFromElf, btfFromElf } from '../../load.js';
import type { AnyBtfType, DatasecType } from '../../types.js';

/**
 * Test support: the BTF libbpf's static linker hands to btf__dedup for a
 * single object (`bpftool gen object OUT IN.o`), rebuilt from the object.
 * The linker copies every type except DATASECs, then appends one DATASEC
 * per output section that had one (ELF sections in section order, then
 * sections with no ELF counterpart such as .kconfig/.ksyms in BTF order),
 * with the section's real size and each global variable's offset taken
 * from its ELF symbol. Only what a one-object link does is modelled here;
 * the real linker lives in src/link.
 */
export interface LinkerInput {
  btf: Btf;
  ext: BtfExt | undefined;
}

export function linkerDedupInput(bytes: Uint8Array, file?: string): LinkerInput {
  const elf = readElf(bytes, { file });
  const btf = btfFromElf(elf, { file });
  const ext = btfExtFromElf(elf, btf, file);
  const symbols = readSymbols(elf);
  const types = [...btf] as AnyBtfType[];

  const newId = new Uint32Array(btf.typeCount);
  const kept: AnyBtfType[] = [];
  const datasecs: DatasecType[] = [];
  for (const t of types) {
    if (t.kind === Kind.Datasec) {
      datasecs.push(t);
      continue;
    }
    kept.push(t);
    newId[t.id] = kept.length;
  }
  const secIndex = (d: DatasecType): number => {
    const s = elf.sections.find((x) => x.name === d.name);
    return s === undefined ? Number.MAX_SAFE_INTEGER : s.index;
  };
  const ordered = datasecs
    .filter((d) => d.name !== '.extern')
    .map((d, i) => ({ d, i, at: secIndex(d) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.d);
  for (const d of ordered) {
    kept.push(d);
    newId[d.id] = kept.length;
  }
  const r = (id: number): number => (id === 0 ? 0 : newId[id]);
  const out = kept.map((t, i): AnyBtfType => {
    const c = structuredClone(t);
    switch (c.kind) {
      case Kind.Struct:
      case Kind.Union:
        for (const m of c.members) m.type = r(m.type);
        break;
      case Kind.FuncProto:
        c.returnType = r(c.returnType);
        for (const p of c.params) p.type = r(p.type);
        break;
      case Kind.Datasec: {
        const sec = elf.sections.find((x) => x.name === c.name);
        if (sec !== undefined) c.size = sec.size;
        for (const v of c.vars) {
          const vt = btf.type(v.type);
          if (sec !== undefined && vt !== undefined && vt.kind === Kind.Var && vt.linkage === LINKAGE_GLOBAL) {
            const sym = symbols.find((s) => s.shndx === sec.index && s.type === STT_OBJECT && s.name === vt.name);
            if (sym !== undefined) v.offset = Number(sym.value);
          }
          v.type = r(v.type);
        }
        break;
      }
      case Kind.Array:
        c.type = r(c.type);
        c.indexType = r(c.indexType);
        break;
      case Kind.Int:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Fwd:
      case Kind.Float:
      case Kind.Unknown:
        break;
      default:
        c.type = r(c.type);
        break;
    }
    c.id = i + 1;
    return c;
  });
  const strings = linkerStrings(out, ext, ordered, (name) => elf.sections.find((x) => x.name === name)?.index ?? Number.MAX_SAFE_INTEGER);
  const table = new StringTable(strings.finish());
  for (const t of out) renameOffsets(t, (s) => strings.add(s));
  return { btf: new Btf({ types: out, strings: table, littleEndian: btf.littleEndian }), ext };
}

/**
 * The linker's string table, in the order it adds strings: each copied
 * type's strings (name, then member / enumerator / parameter names), then
 * line_info file and line text and CO-RE access strings as .BTF.ext is
 * appended, then the DATASEC names, then the .BTF.ext section names as the
 * final .BTF.ext is written (func_info, line_info, CO-RE, each in output
 * section order). libbpf's dedup keeps this table as it is.
 */
function linkerStrings(types: AnyBtfType[], ext: BtfExt | undefined, datasecs: DatasecType[], secIndex: (name: string) => number): StringTableBuilder {
  const b = new StringTableBuilder();
  const add = (s: string): void => {
    if (s !== '') b.add(s);
  };
  for (const t of types) {
    if (t.kind === Kind.Datasec) continue;
    add(t.name);
    if (t.kind === Kind.Struct || t.kind === Kind.Union) for (const m of t.members) add(m.name);
    if (t.kind === Kind.Enum || t.kind === Kind.Enum64) for (const v of t.values) add(v.name);
    if (t.kind === Kind.FuncProto) for (const p of t.params) add(p.name);
  }
  if (ext !== undefined) {
    for (const s of ext.lineInfo.sections) for (const r of s.records) (add(r.fileName), add(r.line));
    for (const s of ext.coreRelo.sections) for (const r of s.records) add(r.accessStr);
  }
  for (const d of datasecs) add(d.name);
  if (ext !== undefined) {
    for (const info of [ext.funcInfo, ext.lineInfo, ext.coreRelo] as { sections: { secName: string; records: unknown[] }[] }[]) {
      const secs = info.sections.filter((s) => s.records.length > 0).map((s) => s.secName);
      secs.sort((x, y) => secIndex(x) - secIndex(y));
      for (const s of secs) add(s);
    }
  }
  return b;
}

function renameOffsets(t: AnyBtfType, off: (s: string) => number): void {
  t.nameOff = off(t.name);
  if (t.kind === Kind.Struct || t.kind === Kind.Union) for (const m of t.members) m.nameOff = off(m.name);
  if (t.kind === Kind.Enum) for (const v of t.values) v.nameOff = off(v.name);
  if (t.kind === Kind.Enum64) for (const v of t.values) v.nameOff = off(v.name);
  if (t.kind === Kind.FuncProto) for (const p of t.params) p.nameOff = off(p.name);
}
