import { Kind } from '../kinds.js';
import type { BtfType } from '../types.js';
import { arrayKey, commonKey, equalArray, equalCommon, equalFnProto, equalIntTag, fnProtoKey, intTagKey } from './keys.js';
import { IN_PROGRESS, MAX_ID, type DedupState } from './state.js';
import { firstEqual } from './prim.js';

/**
 * Pass 3: reference types (PTR, TYPEDEF, modifiers, TYPE_TAG, FUNC,
 * DECL_TAG, ARRAY, FUNC_PROTO). Each is deduplicated after the types it
 * refers to, depth first from each id in id order, with its references
 * rewritten to their canonical ids first so that plain equality finds
 * duplicates. A reference cycle that no struct breaks is an error (libbpf:
 * -ELOOP). The walk keeps its own stack, so long chains cannot overflow.
 */
export function dedupRefTypes(d: DedupState): void {
  for (let id = d.view.firstId; id < d.view.count; id++) dedupRef(d, id);
}

interface Frame {
  id: number;
  t: BtfType;
  children: number[];
  results: number[];
}

function dedupRef(d: DedupState, root: number): number {
  const stack: Frame[] = [];
  let ret = 0;
  /** Either the id's canonical id (in `ret`) or a new frame on the stack. */
  const enter = (id: number): boolean => {
    const m = d.map[id];
    if (m === IN_PROGRESS) throw d.error('reference types form a cycle that no struct or union breaks', id);
    if (m <= MAX_ID) {
      ret = d.resolve(id);
      return false;
    }
    d.map[id] = IN_PROGRESS;
    const t = d.view.ownType(id);
    stack.push({ id, t, children: refsOf(d, t, id), results: [] });
    return true;
  };
  if (!enter(root)) return ret;
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    if (f.results.length < f.children.length) {
      if (enter(f.children[f.results.length])) continue;
      f.results.push(ret);
      continue;
    }
    stack.pop();
    ret = finish(d, f);
    if (stack.length > 0) stack[stack.length - 1].results.push(ret);
  }
  return ret;
}

/** The ids a reference type refers to, in the order libbpf visits them. */
function refsOf(d: DedupState, t: BtfType, id: number): number[] {
  switch (t.kind) {
    case Kind.Const:
    case Kind.Volatile:
    case Kind.Restrict:
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Func:
    case Kind.TypeTag:
    case Kind.DeclTag:
      return [t.type];
    case Kind.Array:
      return [t.type, t.indexType];
    case Kind.FuncProto:
      return [t.returnType, ...t.params.map((p) => p.type)];
    default:
      throw d.error(`type of kind ${t.kind} was left for the reference pass`, id);
  }
}

function finish(d: DedupState, f: Frame): number {
  const { t, id, results } = f;
  const view = d.view;
  let key: number;
  let newId = id;
  switch (t.kind) {
    case Kind.Array:
      t.type = results[0];
      t.indexType = results[1];
      key = arrayKey(t, d.nameId);
      newId = firstEqual(d, key, t, equalArray) ?? id;
      break;
    case Kind.FuncProto:
      t.returnType = results[0];
      for (let i = 0; i < t.params.length; i++) t.params[i].type = results[i + 1];
      key = fnProtoKey(t, d.nameId);
      newId = firstEqual(d, key, t, equalFnProto) ?? id;
      break;
    case Kind.DeclTag:
      t.type = results[0];
      key = intTagKey(t, d.nameId);
      newId = firstEqual(d, key, t, equalIntTag) ?? id;
      break;
    default:
      if (!('type' in t)) throw d.error('unexpected type in the reference pass', id);
      t.type = results[0];
      key = commonKey(t, d.nameId);
      newId = firstEqual(d, key, t, equalCommon) ?? id;
      break;
  }
  d.map[id] = newId;
  if (newId === id) d.table.add(key, id);
  return newId;
}
