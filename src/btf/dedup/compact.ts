import { Kind } from '../kinds.js';
import type { BtfType } from '../types.js';
import { MAX_ID, UNPROCESSED, type DedupState } from './state.js';

/**
 * Passes 4 and 5: keep each own type that is its own canonical type, in id
 * order, renumbered from the first own id; then point every reference at
 * the new id of its canonical type. Returns the kept types and old id ->
 * new id for every old id (base ids map to themselves).
 */
export function compactAndRemap(d: DedupState): { types: BtfType[]; typeMap: Uint32Array } {
  const { view, map } = d;
  const newIdOf = new Uint32Array(view.count).fill(UNPROCESSED);
  for (let id = 0; id < view.firstId; id++) newIdOf[id] = id;
  const kept: BtfType[] = [];
  let next = view.firstId;
  for (let id = view.firstId; id < view.count; id++) {
    if (map[id] !== id) continue;
    newIdOf[id] = next++;
    kept.push(view.ownType(id));
  }
  const typeMap = new Uint32Array(view.count);
  for (let id = 0; id < view.count; id++) {
    const n = newIdOf[d.resolve(id)];
    if (n > MAX_ID) throw d.error('type resolves to a type that was dropped', id);
    typeMap[id] = n;
  }
  const r = (x: number): number => typeMap[x];
  const types = kept.map((t, i) => ({ ...remapRefs(t, r), id: view.firstId + i }));
  return { types, typeMap };
}

/** A copy of `t` with every type id it holds passed through `r`. */
function remapRefs(t: BtfType, r: (id: number) => number): BtfType {
  switch (t.kind) {
    case Kind.Int:
    case Kind.Enum:
    case Kind.Enum64:
    case Kind.Fwd:
    case Kind.Float:
      return t;
    case Kind.Struct:
    case Kind.Union:
      return { ...t, members: t.members.map((m) => ({ ...m, type: r(m.type) })) };
    case Kind.FuncProto:
      return { ...t, returnType: r(t.returnType), params: t.params.map((p) => ({ ...p, type: r(p.type) })) };
    case Kind.Datasec:
      return { ...t, vars: t.vars.map((v) => ({ ...v, type: r(v.type) })) };
    case Kind.Array:
      return { ...t, type: r(t.type), indexType: r(t.indexType) };
    default:
      return { ...t, type: r(t.type) };
  }
}
