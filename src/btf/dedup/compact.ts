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
  // The kept types are the dedup's own copies: renumber them in place.
  kept.forEach((t, i) => {
    remapRefs(t, r);
    t.id = view.firstId + i;
  });
  const types = kept;
  return { types, typeMap };
}

/** Pass every type id `t` holds through `r`, in place. */
function remapRefs(t: BtfType, r: (id: number) => number): void {
  switch (t.kind) {
    case Kind.Int:
    case Kind.Enum:
    case Kind.Enum64:
    case Kind.Fwd:
    case Kind.Float:
      return;
    case Kind.Struct:
    case Kind.Union:
      for (const m of t.members) m.type = r(m.type);
      return;
    case Kind.FuncProto:
      t.returnType = r(t.returnType);
      for (const p of t.params) p.type = r(p.type);
      return;
    case Kind.Datasec:
      for (const v of t.vars) v.type = r(v.type);
      return;
    case Kind.Array:
      t.type = r(t.type);
      t.indexType = r(t.indexType);
      return;
    default:
      t.type = r(t.type);
  }
}
