import { INT_BOOL, INT_SIGNED, Kind, skipModsAndTypedefs, type AnyBtfType, type Btf } from '../btf/index.js';
import { SHN_UNDEF, STB_LOCAL, STB_WEAK, STT_SECTION, type ElfSymbol } from '../elf/index.js';
import { BpfkitError, withLocation } from '../internal/errors.js';
import { typeDescription } from './type-names.js';
import type { Extern } from './types.js';

/**
 * Undefined global symbols, classified the way libbpf's
 * bpf_object__collect_externs() does: a variable in the `.kconfig` DATASEC
 * is a Kconfig value; in `.ksyms`, a variable is a kernel symbol (typed, or
 * typeless when its type is void) and a function is a kfunc. Anything else
 * is a plain extern, left for the static linker to resolve.
 */
export function findExterns(symbols: ElfSymbol[], btf: Btf | undefined, file: string | undefined): Extern[] {
  const inSection = new Map<string, { sec: string; id: number }>();
  if (btf !== undefined) {
    for (const secName of ['.kconfig', '.ksyms']) {
      const ds = btf.find(secName, Kind.Datasec);
      if (ds === undefined || ds.kind !== Kind.Datasec) continue;
      for (const v of ds.vars) {
        const t = btf.type(v.type);
        if (t !== undefined && t.name !== '') inSection.set(t.name, { sec: secName, id: t.id });
      }
    }
  }
  const out: Extern[] = [];
  for (const s of symbols) {
    if (s.shndx !== SHN_UNDEF || s.bind === STB_LOCAL || s.name === '' || s.type === STT_SECTION) continue;
    const weak = s.bind === STB_WEAK;
    const hit = inSection.get(s.name);
    if (hit === undefined || btf === undefined) {
      const byName = btf?.idsByName(s.name).map((id) => btf.type(id)!).find((t) => t.kind === Kind.Var || t.kind === Kind.Func);
      out.push({
        name: s.name,
        kind: 'plain',
        weak,
        typeId: byName?.id,
        valueTypeId: byName !== undefined && (byName.kind === Kind.Var || byName.kind === Kind.Func) ? byName.type : undefined,
        typeName: byName !== undefined ? typeDescription(btf!, byName.id) : undefined,
      });
      continue;
    }
    const t = btf.type(hit.id)!;
    out.push(withLocation({ file, section: hit.sec, symbol: s.name, typeId: t.id }, () => classifyTyped(btf, t, hit.sec, s.name, weak, file)));
  }
  return out;
}

/** An extern that BTF places in `.kconfig` or `.ksyms`. */
function classifyTyped(btf: Btf, t: AnyBtfType, sec: string, name: string, weak: boolean, file: string | undefined): Extern {
  const where = { file, section: sec, symbol: name, typeId: t.id };
  if (sec === '.kconfig') {
    if (t.kind !== Kind.Var) throw new BpfkitError('BAD_VALUE', `extern (kconfig) '${name}' is not a variable`, where);
    const kconfigType = kconfigKind(btf, t.type);
    if (kconfigType === undefined) {
      throw new BpfkitError(
        'BAD_VALUE',
        `extern (kconfig) '${name}': type ${typeDescription(btf, t.type)} is not one libbpf supports (bool, tristate, char, integers, char arrays)`,
        where,
      );
    }
    return { name, kind: 'kconfig', weak, typeId: t.id, valueTypeId: t.type, typeName: typeDescription(btf, t.type), kconfigType };
  }
  if (t.kind === Kind.Func) {
    return { name, kind: 'kfunc', weak, typeId: t.id, valueTypeId: t.type, typeName: typeDescription(btf, t.type) };
  }
  if (t.kind === Kind.Var) {
    const resolved = skipModsAndTypedefs(btf, t.type);
    return {
      name,
      kind: 'ksym',
      weak,
      typeId: t.id,
      valueTypeId: resolved === 0 ? 0 : t.type,
      typeName: resolved === 0 ? 'void' : typeDescription(btf, t.type),
    };
  }
  throw new BpfkitError('BAD_VALUE', `extern (ksym) '${name}' is neither a variable nor a function`, where);
}

/** libbpf's find_kcfg_type(): the Kconfig value kinds it can fill in. Any
 * one-byte integer counts as a char (clang encodes `char` as SIGNED). */
function kconfigKind(btf: Btf, typeId: number): string | undefined {
  const t = btf.type(skipModsAndTypedefs(btf, typeId));
  if (t === undefined) return undefined;
  switch (t.kind) {
    case Kind.Int:
      if ((t.encoding & INT_BOOL) !== 0) return t.size === 1 ? 'bool' : undefined;
      if (t.size === 1) return 'char';
      if (![2, 4, 8].includes(t.size)) return undefined;
      return (t.encoding & INT_SIGNED) !== 0 ? 'int' : 'uint';
    case Kind.Enum:
      return t.size === 4 && t.name === 'libbpf_tristate' ? 'tristate' : undefined;
    case Kind.Enum64:
      return t.name === 'libbpf_tristate' ? 'tristate' : undefined;
    case Kind.Array:
      return t.nelems > 0 && kconfigKind(btf, t.type) === 'char' ? 'char_arr' : undefined;
    default:
      return undefined;
  }
}
