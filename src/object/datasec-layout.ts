import { Kind, LINKAGE_EXTERN, LINKAGE_STATIC, type Btf, type DatasecType } from '../btf/index.js';
import { STT_OBJECT, type ElfSection, type ElfSymbol } from '../elf/index.js';
import { BpfkitError } from '../internal/errors.js';

export interface LaidOutVar {
  /** The VAR's type id. */
  varId: number;
  name: string;
  linkage: number;
  /** The VAR's own type. */
  type: number;
  offset: number;
  size: number;
}

/**
 * The variables of a DATASEC with offsets from the ELF symbols. clang
 * writes every DATASEC with size 0 and its variables at offset 0; libbpf's
 * btf_fixup_datasec() takes the real offsets from the symbol table at open
 * time, and so does this. A global variable without a symbol is an error,
 * as in libbpf; a static one keeps its BTF offset.
 */
export function layOutDatasec(
  btf: Btf,
  ds: DatasecType,
  sec: ElfSection,
  symbols: ElfSymbol[],
  file: string | undefined,
): LaidOutVar[] {
  const byName = new Map<string, ElfSymbol>();
  for (const s of symbols) {
    if (s.shndx === sec.index && s.name !== '' && (s.type === STT_OBJECT || s.type === 0) && !byName.has(s.name)) byName.set(s.name, s);
  }
  return ds.vars.map((v) => {
    const t = btf.type(v.type);
    if (t === undefined || t.kind !== Kind.Var) {
      throw new BpfkitError('BAD_VALUE', `DATASEC ${ds.name} entry [${v.type}] is not a variable`, { file, section: sec.name, typeId: ds.id });
    }
    let offset = v.offset;
    if (t.linkage !== LINKAGE_EXTERN) {
      const sym = byName.get(t.name);
      if (sym !== undefined) offset = Number(sym.value);
      else if (t.linkage !== LINKAGE_STATIC) {
        throw new BpfkitError('BAD_VALUE', `variable '${t.name}' of DATASEC ${ds.name} has no ELF symbol in section ${sec.name}`, {
          file,
          section: sec.name,
          symbol: t.name,
          typeId: t.id,
        });
      }
    }
    if (offset + v.size > sec.size) {
      throw new BpfkitError('BAD_VALUE', `variable '${t.name}' at offset ${offset} size ${v.size} lies past the end of ${sec.name} (${sec.size} bytes)`, {
        file,
        section: sec.name,
        symbol: t.name,
        typeId: t.id,
      });
    }
    return { varId: t.id, name: t.name, linkage: t.linkage, type: t.type, offset, size: v.size };
  });
}
