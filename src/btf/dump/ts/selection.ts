/**
 * Which types a dump emits: every named one, or the by-value closure of the
 * requested roots (split BTF: the module's own types and the base types
 * they use). A graph walk with no output of its own, hence its own file.
 */
import { Kind } from '../../kinds.js';
import type { TypeView } from './type-view.js';

/** Ids to emit: everything named, or the by-value closure of the roots. */
export function selectIds(view: TypeView, rootIds: number[] | undefined): Set<number> {
  const sel = new Set<number>();
  if (rootIds === undefined) {
    for (const id of view.names.byId.keys()) sel.add(id);
    return sel;
  }
  const seen = new Set<number>();
  const stack = [...rootIds];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === 0 || seen.has(id) || !view.btf.hasId(id)) continue;
    seen.add(id);
    const t = view.t(id)!;
    if (view.names.byId.has(id)) sel.add(id);
    const alias = view.names.aliasOf.get(id);
    if (alias !== undefined) stack.push(alias);
    switch (t.kind) {
      case Kind.Struct:
      case Kind.Union:
        for (const m of t.members) stack.push(m.type);
        break;
      case Kind.Typedef:
      case Kind.Const:
      case Kind.Volatile:
      case Kind.Restrict:
      case Kind.TypeTag:
      case Kind.Array:
      case Kind.Var:
        stack.push(t.type);
        break;
      case Kind.Datasec:
        for (const v of t.vars) stack.push(v.type);
        break;
      default:
        break;
    }
  }
  return sel;
}
