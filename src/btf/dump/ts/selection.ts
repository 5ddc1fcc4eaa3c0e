/**
 * Which types a dump emits: every named one, or the by-value closure of the
 * requested roots (split BTF: the module's own types and the base types
 * they use). A graph walk with no output of its own, hence its own file.
 */
import { Kind } from '../../kinds.js';
import type { TypeView } from './type-view.js';

/** Ids to emit, in id order: everything named, or the by-value closure of
 * the roots. */
export function selectIds(view: TypeView, rootIds: readonly number[] | undefined): number[] {
  const names = view.names;
  const w = view.w;
  const count = w.count;
  const ids: number[] = [];
  if (rootIds === undefined) {
    for (let id = 1; id < count; id++) if (names.byId[id] !== undefined) ids.push(id);
    return ids;
  }
  const seen = new Uint8Array(count);
  const sel = new Uint8Array(count);
  const stack = [...rootIds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === 0 || !Number.isInteger(id) || id < 0 || id >= count || seen[id] !== 0) continue;
    seen[id] = 1;
    if (names.byId[id] !== undefined) sel[id] = 1;
    const alias = names.aliasOf[id];
    if (alias !== 0) stack.push(alias);
    switch (w.kind[id]) {
      case Kind.Struct:
      case Kind.Union: {
        const vlen = w.vlen(id);
        for (let j = 0; j < vlen; j++) stack.push(w.memberType(id, j));
        break;
      }
      case Kind.Typedef:
      case Kind.Const:
      case Kind.Volatile:
      case Kind.Restrict:
      case Kind.TypeTag:
      case Kind.Var:
        stack.push(w.sot(id));
        break;
      case Kind.Array:
        stack.push(w.arrayElem(id));
        break;
      case Kind.Datasec: {
        // Each variable: type, offset, size.
        const vlen = w.vlen(id);
        for (let j = 0; j < vlen; j++) stack.push(w.words[(w.pos[id] >> 2) + 3 + j * 3]);
        break;
      }
      default:
        break;
    }
  }
  for (let id = 1; id < count; id++) if (sel[id] !== 0) ids.push(id);
  return ids;
}
