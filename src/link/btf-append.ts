import type { Btf } from '../btf/btf.js';
import { Kind, LINKAGE_STATIC } from '../btf/kinds.js';
import { appendWireTypes, copyType } from './btf-copy.js';
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
  const out = state.btf;
  const firstOut = out.count;
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
  if (w !== undefined) appendWireTypes(out, btf, added, map, obj.name);
  else for (let k = 0; k < added.length; k++) out.addType(copyType(btf.type(added[k])!, firstOut + k, remap, obj.name));

  // A definition in this file replaced an earlier declaration or weak
  // definition: the shared VAR/FUNC now describes this file's type.
  for (const g of state.globals.values()) {
    if (!g.retype || g.retypeFrom?.file !== obj) continue;
    const from = btf.type(g.retypeFrom.id)!;
    const k = out.kind(g.btfId);
    if ((k === Kind.Var || k === Kind.Func) && (from.kind === Kind.Var || from.kind === Kind.Func)) {
      if (k === Kind.Func) nameParams(state, out.typeOf(g.btfId), btf, from.type);
      out.setType(g.btfId, remap(from.type));
      out.setGlobal(g.btfId);
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
  const out = state.btf;
  const def = btf.type(defProtoId);
  if (!out.has(protoId) || def?.kind !== Kind.FuncProto || out.paramCount(protoId) !== def.params.length) return;
  def.params.forEach((p, i) => {
    if (p.name !== '') out.setParamName(protoId, i, p.name);
  });
}

/** The global the non-static VAR/FUNC `id` of the output belongs to; null
 * when it belongs to a global of a skipped section; undefined for other
 * types. */
function globalOf(state: LinkState, id: number): GlobalSymbol | null | undefined {
  const out = state.btf;
  const k = out.kind(id);
  if ((k !== Kind.Var && k !== Kind.Func) || out.linkage(id) === LINKAGE_STATIC) return undefined;
  return state.globals.get(out.name(id)) ?? null;
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
      if (!state.btf.has(id)) continue;
      const g = globalOf(state, id);
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
      const out = state.btf;
      if (g.sym.size > 0n) e.size = Number(g.sym.size);
      else if (out.kind(g.btfId) === Kind.Var) e.size = btfOf(out.typeOf(g.btfId));
    }
    s.datasec = s.datasec
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.offset - b.e.offset || a.i - b.i)
      .map((x) => x.e);
  }
}

