import type { Btf } from '../btf/btf.js';
import { Kind, LINKAGE_STATIC } from '../btf/kinds.js';
import { SHN_LORESERVE, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_SECTION, type ElfSymbol } from '../elf/index.js';
import { BpfkitError } from '../internal/errors.js';
import { btfMismatch } from './btf-match.js';
import { linkError } from './errors.js';
import { mapDefMismatch } from './map-match.js';
import type { GlobalSymbol, InputObject, InputSection, LinkState, OutSection, OutSymbol } from './model.js';

/**
 * Stage 3 (libbpf: linker_append_elf_syms). Local symbols are always kept
 * (two files' statics of the same name coexist); one STT_SECTION symbol is
 * kept per output section. Globals are resolved by name: a strong
 * definition beats weak ones, the first weak wins among weaks, two strong
 * definitions are an error, externs resolve to a definition in any file or
 * stay undefined. Hidden visibility, once seen, sticks.
 */
export function appendSymbols(state: LinkState, obj: InputObject): void {
  for (const sym of obj.symbols) {
    if (sym.index === 0) continue;
    appendSymbol(state, obj, sym);
  }
}

function appendSymbol(state: LinkState, obj: InputObject, sym: ElfSymbol): void {
  const isExtern = sym.shndx === 0;
  let src: InputSection | undefined;
  let dst: OutSection | undefined;
  if (isExtern) {
    if (obj.btf === undefined) {
      throw linkError('UNSUPPORTED', `extern '${sym.name}' needs BTF to be resolved; compile with -g`, { file: obj.name, symbol: sym.name });
    }
  } else if (sym.shndx < SHN_LORESERVE) {
    src = obj.sections[sym.shndx];
    if (src.skipped || src.outId < 0) return;
    dst = state.sections[src.outId];
    if (sym.type === STT_SECTION && dst.sectionSymbol !== undefined) {
      obj.symMap[sym.index] = dst.sectionSymbol;
      return;
    }
  }
  if (sym.bind === STB_LOCAL) {
    addSymbol(state, obj, sym, src, dst);
    return;
  }

  const found = findGlobalBtf(obj, sym.name);
  if (isExtern && found.datasec !== undefined && found.datasec !== '.extern') {
    // Externs of a typed section (.kconfig, .ksyms, .maps) belong to it.
    src = obj.sections.find((s) => s.name === found.datasec && !s.skipped && (s.index !== 0 || s.ephemeral));
    if (src === undefined) {
      throw linkError('BAD_VALUE', `extern '${sym.name}' is in DATASEC '${found.datasec}', which has no section`, { file: obj.name, symbol: sym.name });
    }
    dst = state.sections[src.outId];
  }

  const g = state.globals.get(sym.name);
  if (g === undefined) {
    const out = addSymbol(state, obj, sym, isExtern ? undefined : src, isExtern ? undefined : dst);
    state.globals.set(sym.name, {
      name: sym.name,
      sym: out,
      isExtern,
      isWeak: sym.bind === STB_WEAK,
      section: dst,
      btfId: 0,
      ref: { btf: obj.btf!, id: found.id, file: obj.name },
      file: obj.name,
      retype: false,
    });
    return;
  }
  obj.symMap[sym.index] = g.sym;

  if (!isExtern && !g.isExtern && !g.isWeak && sym.bind !== STB_WEAK) {
    throw linkError(
      'BAD_VALUE',
      `'${sym.name}' is defined (non-weak) both in ${g.file} and in ${obj.name}; make one of them __weak, make one static, or remove one`,
      { file: obj.name, symbol: sym.name },
    );
  }
  checkCompatible(g, obj, sym, found.id, dst);

  const out = g.sym;
  if (sym.bind === STB_GLOBAL) {
    out.bind = STB_GLOBAL;
    g.isWeak = false;
  }
  if (sym.visibility > out.visibility) {
    out.visibility = sym.visibility;
    out.other = (out.other & ~3) | sym.visibility;
  }
  if (isExtern) return;
  // A weak definition loses to any earlier definition.
  if (!g.isExtern && sym.bind === STB_WEAK) return;

  // This definition wins: the output symbol now points at it.
  out.type = sym.type;
  out.section = dst;
  out.shndx = 0;
  out.value = BigInt(src!.outOffset) + sym.value;
  out.size = sym.size;
  g.section = dst;
  g.isExtern = false;
  g.file = obj.name;
  g.ref = { btf: obj.btf!, id: found.id, file: obj.name };
  g.retype = true;
  g.retypeFrom = { file: obj, id: found.id };
}

function addSymbol(state: LinkState, obj: InputObject, sym: ElfSymbol, src: InputSection | undefined, dst: OutSection | undefined): OutSymbol {
  const out: OutSymbol = {
    name: sym.name,
    value: (src !== undefined ? BigInt(src.outOffset) : 0n) + sym.value,
    size: sym.size,
    bind: sym.bind,
    type: sym.type,
    visibility: sym.visibility,
    other: sym.other,
    section: dst !== undefined && !dst.ephemeral ? dst : undefined,
    shndx: dst !== undefined ? 0 : sym.shndx,
  };
  if (sym.type === STT_SECTION && dst !== undefined) {
    out.value = 0n;
    dst.sectionSymbol = out;
  }
  state.symbols.push(out);
  obj.symMap[sym.index] = out;
  return out;
}

function checkCompatible(g: GlobalSymbol, obj: InputObject, sym: ElfSymbol, id: number, dst: OutSection | undefined): void {
  const btf = obj.btf!;
  const t = btf.type(id);
  if (t === undefined || (t.kind !== Kind.Var && t.kind !== Kind.Func)) {
    throw linkError('UNSUPPORTED', `'${sym.name}' is described by BTF type [${id}], not a variable or function`, { file: obj.name, symbol: sym.name, typeId: id });
  }
  const gSec = g.section?.name;
  if (gSec !== undefined && dst !== undefined && gSec !== dst.name) {
    throw linkError(
      'BAD_VALUE',
      `'${sym.name}' is in section '${gSec}' in ${g.file} but in '${dst.name}' in ${obj.name}; put both in the same SEC()`,
      { file: obj.name, symbol: sym.name },
    );
  }
  let why: string | undefined;
  if (gSec === '.maps' || dst?.name === '.maps') {
    try {
      why = mapDefMismatch(sym.name, g.ref.btf, g.ref.id, g.ref.file, btf, id, obj.name);
    } catch (e) {
      why = e instanceof BpfkitError ? e.detail : (e as Error).message;
    }
    if (why !== undefined) {
      throw linkError('BAD_VALUE', `map '${sym.name}' is declared differently in ${g.ref.file} and ${obj.name}: ${why}; make the map definitions equal`, {
        file: obj.name,
        symbol: sym.name,
      });
    }
    return;
  }
  why = btfMismatch(sym.name, true, g.ref.btf, g.ref.id, btf, id);
  if (why !== undefined) {
    throw linkError(
      'BAD_VALUE',
      `'${sym.name}' has incompatible types in ${g.ref.file} and ${obj.name}: ${why}; make the declaration match the definition`,
      { file: obj.name, symbol: sym.name },
    );
  }
}

/**
 * The BTF VAR/FUNC describing a global symbol and the DATASEC holding it
 * (libbpf: find_glob_sym_btf). Free-standing FUNCs and VARs (extern
 * functions, globals in no DATASEC) are found too.
 */
export function findGlobalBtf(obj: InputObject, name: string): { id: number; datasec: string | undefined } {
  const btf: Btf | undefined = obj.btf;
  const index = obj.btfIndex;
  if (btf === undefined || index === undefined) {
    throw linkError('UNSUPPORTED', `global '${name}' needs BTF to be linked; compile with -g`, { file: obj.name, symbol: name });
  }
  // Non-static VARs/FUNCs of this name; in a scan in id order, the one
  // "seen last" before a DATASEC is the largest id below it.
  const loose = index.globals.get(name) ?? [];
  const looseBefore = (id: number): number => {
    let found = 0;
    for (const l of loose) if (l < id) found = l;
    return found;
  };
  for (const dsId of index.datasecs) {
    const t = btf.type(dsId)!;
    if (t.kind !== Kind.Datasec) continue;
    for (const v of t.vars) {
      const vt = btf.type(v.type);
      if (vt === undefined || vt.name !== name) continue;
      if ((vt.kind === Kind.Var || vt.kind === Kind.Func) && vt.linkage === LINKAGE_STATIC) continue;
      const before = looseBefore(dsId);
      if (before !== 0 && before !== v.type) {
        throw linkError('BAD_VALUE', `BTF for '${name}' is ambiguous: types [${before}] and [${v.type}] both match`, { file: obj.name, symbol: name });
      }
      return { id: v.type, datasec: t.name };
    }
  }
  if (loose.length > 0) return { id: loose[loose.length - 1], datasec: undefined };
  throw linkError('BAD_VALUE', `no BTF VAR or FUNC describes global '${name}'; compile with -g`, { file: obj.name, symbol: name });
}
