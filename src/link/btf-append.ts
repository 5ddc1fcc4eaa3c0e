import type { Btf } from '../btf/btf.js';
import { Kind, LINKAGE_GLOBAL, LINKAGE_STATIC } from '../btf/kinds.js';
import type { BtfType } from '../btf/types.js';
import { copyType, NameCache, WireCopier } from './btf-copy.js';
import { ROLE_DATASEC, ROLE_GLOBAL } from './btf-index.js';
import { linkError } from './errors.js';
import type { GlobalSymbol, InputObject, LinkState } from './model.js';

/**
 * Stage 5 (libbpf: linker_append_btf): every type of the input except
 * DATASECs is appended to the output BTF with its references renumbered.
 * A global's VAR/FUNC exists once: later files map theirs to the first
 * one, whose underlying type follows the winning definition. DATASEC
 * entries are collected per output section at their final offsets and
 * turned into DATASECs when the link is finalized.
 */
export function appendBtf(state: LinkState, obj: InputObject): void {
  const btf = obj.btf;
  if (btf === undefined) return;
  const map = obj.typeMap;
  const w = btf.wire;
  const first = btf.firstId;
  const end = btf.typeCount;
  const roles = obj.btfIndex!.roles;
  // Input ids of the types appended (their output ids follow in order).
  const added: number[] = [];
  const firstOut = state.types.length + 1;
  for (let srcId = first; srcId < end; srcId++) {
    const role = roles[srcId];
    if (role === ROLE_DATASEC) continue;
    let g: GlobalSymbol | undefined;
    if (role === ROLE_GLOBAL) {
      g = state.globals.get(btf.nameOfId(srcId));
      if (g === undefined) continue; // a VAR of a skipped section (a duplicate license)
      if (g.btfId !== 0) {
        map[srcId] = g.btfId;
        continue;
      }
    }
    const id = firstOut + added.length;
    added.push(srcId);
    map[srcId] = id;
    if (g !== undefined) {
      g.btfId = id;
      if (g.retypeFrom?.file === obj) g.retype = false;
    }
  }
  // References may point forward, so types are copied once every id is mapped.
  const remap = (ref: number): number => {
    const to = map[ref];
    if (to === 0 && ref !== 0) {
      throw linkError('BAD_VALUE', `type refers to [${ref}], which was not carried into the output`, { file: obj.name, section: '.BTF' });
    }
    return to;
  };
  if (w !== undefined) {
    const copier = new WireCopier(btf, w, map, obj.name, new NameCache(btf, state.names));
    for (let k = 0; k < added.length; k++) state.types.push(copier.copy(added[k] - first, firstOut + k));
  } else {
    for (let k = 0; k < added.length; k++) state.types.push(copyType(btf.type(added[k])!, firstOut + k, remap, obj.name));
  }

  // A definition in this file replaced an earlier declaration or weak
  // definition: the shared VAR/FUNC now describes this file's type.
  for (const g of state.globals.values()) {
    if (!g.retype || g.retypeFrom?.file !== obj) continue;
    const from = btf.type(g.retypeFrom.id)!;
    const out = state.types[g.btfId - 1];
    if ((out.kind === Kind.Var || out.kind === Kind.Func) && (from.kind === Kind.Var || from.kind === Kind.Func)) {
      if (out.kind === Kind.Func) nameParams(state, out.type, btf, from.type);
      out.type = remap(from.type);
      out.linkage = LINKAGE_GLOBAL;
    }
    g.retype = false;
  }

  collectDatasecs(state, obj, btf);
}

/**
 * An extern function's prototype has no parameter names; give it the
 * definition's (libbpf: complete_extern_btf_info), so that dedup sees the
 * two prototypes as one instead of keeping an orphan copy.
 */
function nameParams(state: LinkState, protoId: number, btf: Btf, defProtoId: number): void {
  const proto = state.types[protoId - 1];
  const def = btf.type(defProtoId);
  if (proto?.kind !== Kind.FuncProto || def?.kind !== Kind.FuncProto || proto.params.length !== def.params.length) return;
  proto.params = proto.params.map((p, i) => (def.params[i].name !== '' ? { ...p, name: def.params[i].name } : p));
}

/** The global a non-static VAR/FUNC belongs to; null when it belongs to a
 * global of a skipped section; undefined for other types. */
function globalOf(state: LinkState, t: ReturnType<Btf['type']> & object): GlobalSymbol | null | undefined {
  if ((t.kind !== Kind.Var && t.kind !== Kind.Func) || t.linkage === LINKAGE_STATIC) return undefined;
  return state.globals.get(t.name) ?? null;
}

function collectDatasecs(state: LinkState, obj: InputObject, btf: Btf): void {
  for (const src of obj.sections) {
    if (src.datasecId === 0 || src.skipped || src.outId < 0) continue;
    const dst = state.sections[src.outId];
    dst.hasBtf = true;
    const ds = btf.type(src.datasecId)!;
    if (ds.kind !== Kind.Datasec) continue;
    for (const v of ds.vars) {
      const id = obj.typeMap[v.type];
      const t = state.types[id - 1];
      if (t === undefined) continue;
      const g = globalOf(state, t);
      if (g) {
        if (dst.datasec.some((e) => e.global === g)) continue;
        dst.datasec.push({ type: id, offset: src.outOffset + v.offset, size: v.size, global: g });
      } else {
        dst.datasec.push({ type: id, offset: src.outOffset + v.offset, size: v.size });
      }
    }
  }
}

/**
 * Final placement of DATASEC entries of globals: where the winning
 * definition's symbol is, with the size of its type. (bpftool 7.1 keeps
 * the offset of the first declaration, which for an extern map or a weak
 * map overridden in a later file points at the wrong bytes.) Entries are
 * sorted by offset, as the kernel requires.
 */
export function placeDatasecEntries(state: LinkState, btfOf: (id: number) => number): void {
  for (const s of state.sections) {
    for (const e of s.datasec) {
      const g = e.global;
      if (g === undefined || g.isExtern || g.sym.section !== s) continue;
      e.offset = Number(g.sym.value);
      // The symbol's size covers initial values after a flexible array
      // (map-in-map `.values`), which the type's size does not; bpftool
      // takes the type's size and then cannot place the `.rel.maps` entries.
      const t = state.types[g.btfId - 1];
      if (g.sym.size > 0n) e.size = Number(g.sym.size);
      else if (t.kind === Kind.Var) e.size = btfOf(t.type);
    }
    s.datasec = s.datasec
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.offset - b.e.offset || a.i - b.i)
      .map((x) => x.e);
  }
}

