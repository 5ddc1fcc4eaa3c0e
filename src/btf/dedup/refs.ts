import { Kind } from '../kinds.js';
import { arrayKey, commonKey, equalArray, equalCommon, equalFnProto, equalIntTag, fnProtoKey, intTagKey } from './keys.js';
import { firstEqual } from './prim.js';
import { IN_PROGRESS, MAX_ID, type DedupState } from './state.js';

/**
 * Pass 3: reference types (PTR, TYPEDEF, modifiers, TYPE_TAG, FUNC,
 * DECL_TAG, ARRAY, FUNC_PROTO). Each is deduplicated after the types it
 * refers to, depth first from each id in id order, with its references
 * rewritten (in its record) to their canonical ids first so that plain
 * equality finds duplicates. A reference cycle that no struct breaks is an
 * error (libbpf: -ELOOP). The walk keeps its own stack, so long chains
 * cannot overflow.
 */
export function dedupRefTypes(d: DedupState): void {
  const walk = new RefWalk(d);
  for (let id = d.recs.firstId; id < d.recs.count; id++) walk.dedup(id);
}

/** Words per stack frame: type id, index of the next child. */
const FRAME_WORDS = 2;

class RefWalk {
  private stack = new Uint32Array(64 * FRAME_WORDS);
  private top = 0;
  /** The canonical id of the last type entered or finished. */
  private ret = 0;

  constructor(private readonly d: DedupState) {}

  dedup(root: number): number {
    this.top = 0;
    if (!this.enter(root)) return this.ret;
    const s = this.d.recs;
    const w = s.words;
    while (this.top > 0) {
      const f = this.top - FRAME_WORDS;
      const id = this.stack[f];
      const i = this.stack[f + 1];
      const o = s.off[id];
      if (i < childCount(w, o)) {
        // A child's result is written into this record as soon as it is
        // known: nothing reads the record of a type still in progress.
        const at = o + childWord(w, o, i);
        if (this.enter(w[at])) continue;
        w[at] = this.ret;
        this.stack[f + 1] = i + 1;
        continue;
      }
      this.top = f;
      this.ret = this.finish(id);
      if (this.top > 0) {
        const p = this.top - FRAME_WORDS;
        const po = s.off[this.stack[p]];
        const pi = this.stack[p + 1];
        w[po + childWord(w, po, pi)] = this.ret;
        this.stack[p + 1] = pi + 1;
      }
    }
    return this.ret;
  }

  /** Either the id's canonical id (in `ret`, returns false) or a new frame
   * on the stack (returns true). */
  private enter(id: number): boolean {
    const d = this.d;
    const m = d.map[id];
    if (m === IN_PROGRESS) throw d.error('reference types form a cycle that no struct or union breaks', id);
    if (m <= MAX_ID) {
      this.ret = d.resolve(id);
      return false;
    }
    const k = d.recs.kind(id);
    if (!isRefKind(k)) throw d.error(`type of kind ${k} was left for the reference pass`, id);
    d.map[id] = IN_PROGRESS;
    if (this.top + FRAME_WORDS > this.stack.length) {
      const more = new Uint32Array(this.stack.length * 2);
      more.set(this.stack);
      this.stack = more;
    }
    this.stack[this.top] = id;
    this.stack[this.top + 1] = 0;
    this.top += FRAME_WORDS;
    return true;
  }

  private finish(id: number): number {
    const d = this.d;
    const r = d.recs;
    let key: number;
    let newId: number;
    switch (r.kind(id)) {
      case Kind.Array:
        key = arrayKey(r, id);
        newId = firstEqual(d, key, id, equalArray);
        break;
      case Kind.FuncProto:
        key = fnProtoKey(r, id);
        newId = firstEqual(d, key, id, equalFnProto);
        break;
      case Kind.DeclTag:
        key = intTagKey(r, id);
        newId = firstEqual(d, key, id, equalIntTag);
        break;
      default:
        key = commonKey(r, id);
        newId = firstEqual(d, key, id, equalCommon);
        break;
    }
    d.map[id] = newId;
    if (newId === id) d.table.add(key, id);
    return newId;
  }
}

function isRefKind(k: number): boolean {
  switch (k) {
    case Kind.Const:
    case Kind.Volatile:
    case Kind.Restrict:
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Func:
    case Kind.TypeTag:
    case Kind.DeclTag:
    case Kind.Array:
    case Kind.FuncProto:
      return true;
    default:
      return false;
  }
}

/** How many ids a reference type's record at word `o` refers to. */
function childCount(w: Uint32Array, o: number): number {
  const kind = (w[o + 1] >>> 24) & 0x7f;
  if (kind === Kind.Array) return 2;
  if (kind === Kind.FuncProto) return (w[o + 1] & 0xffffff) + 1;
  return 1;
}

/** Where (words into the record) the i-th of them is, in the order libbpf
 * visits them: an array's element type then index type; a prototype's
 * return type then parameter types. */
function childWord(w: Uint32Array, o: number, i: number): number {
  const kind = (w[o + 1] >>> 24) & 0x7f;
  if (kind === Kind.Array) return 3 + i;
  if (kind === Kind.FuncProto) return i === 0 ? 2 : 2 + 2 * i;
  return 2;
}
