import { MAX_ID, UNPROCESSED, type DedupState } from './state.js';

/**
 * Passes 4 and 5: keep each own type that is its own canonical type, in id
 * order, renumbered from the first own id; and old id -> new id for every
 * old id (base ids map to themselves), through which every reference of
 * the kept types is then passed (output.ts).
 */
export function compactAndRemap(d: DedupState): { kept: number[]; typeMap: Uint32Array } {
  const { recs, map } = d;
  const newIdOf = new Uint32Array(recs.count).fill(UNPROCESSED);
  for (let id = 0; id < recs.firstId; id++) newIdOf[id] = id;
  const kept: number[] = [];
  let next = recs.firstId;
  for (let id = recs.firstId; id < recs.count; id++) {
    if (map[id] !== id) continue;
    newIdOf[id] = next++;
    kept.push(id);
  }
  const typeMap = new Uint32Array(recs.count);
  for (let id = 0; id < recs.count; id++) {
    const m = map[id];
    const n = newIdOf[m === id || m > MAX_ID ? id : d.resolve(id)];
    if (n > MAX_ID) throw d.error('type resolves to a type that was dropped', id);
    typeMap[id] = n;
  }
  return { kept, typeMap };
}
