import { Kind } from '../kinds.js';
import { arrayKey, commonKey, equalArray, equalFnProto, equalIntTag, fnProtoKey, intTagKey } from './keys.js';
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
  const map = d.map;
  // Mapped already: everything but reference types, and those reached from
  // an earlier id. (No type is in progress between walks.)
  for (let id = d.recs.firstId; id < d.recs.count; id++) if (map[id] > MAX_ID) walk.dedup(id);
}

/** Words per stack frame: type id, word index of its next child
 * reference, the step to the one after, and how many are left. */
const FRAME_WORDS = 4;

/**
 * The depth-first walk, with field reads and map checks inline: most of a
 * one-shot link runs before V8 optimises this code, and in the interpreter
 * a call costs more than the work it would wrap.
 */
class RefWalk {
  private stack = new Uint32Array(64 * FRAME_WORDS);
  private top = 0;

  constructor(private readonly d: DedupState) {}

  /** Deduplicate the unprocessed reference type `root` and what it refers to. */
  dedup(root: number): void {
    const d = this.d;
    const map = d.map;
    const w = d.recs.words;
    this.top = 0;
    this.enter(root);
    while (this.top > 0) {
      const s = this.stack;
      const f = this.top - FRAME_WORDS;
      const left = s[f + 3];
      if (left > 0) {
        const at = s[f + 1];
        const child = w[at];
        const m = map[child];
        if (m === IN_PROGRESS) throw d.error('reference types form a cycle that no struct or union breaks', child);
        if (m > MAX_ID) {
          this.enter(child);
          continue;
        }
        // A child's canonical id is written into this record as soon as it
        // is known: nothing reads the record of a type still in progress.
        w[at] = m === child ? child : d.resolve(child);
        s[f + 1] = at + s[f + 2];
        s[f + 3] = left - 1;
        continue;
      }
      this.top = f;
      const ret = this.finish(s[f]);
      if (f > 0) {
        const p = f - FRAME_WORDS;
        const at = s[p + 1];
        w[at] = ret;
        s[p + 1] = at + s[p + 2];
        s[p + 3] = s[p + 3] - 1;
      }
    }
  }

  /** Start on an unprocessed type: mark it and push its frame. */
  private enter(id: number): void {
    const d = this.d;
    const w = d.recs.words;
    const o = d.recs.off[id];
    const info = w[o + 1];
    const k = (info >>> 24) & 0x7f;
    // Children in the order libbpf visits them: an array's element type
    // then index type; a prototype's return type then parameter types.
    let first = o + 2;
    let stride = 1;
    let n = 1;
    if (k === Kind.Array) {
      first = o + 3;
      n = 2;
    } else if (k === Kind.FuncProto) {
      stride = 2;
      n = (info & 0xffffff) + 1;
    } else if (!isRefKind(k)) {
      throw d.error(`type of kind ${k} was left for the reference pass`, id);
    }
    d.map[id] = IN_PROGRESS;
    if (this.top + FRAME_WORDS > this.stack.length) {
      const more = new Uint32Array(this.stack.length * 2);
      more.set(this.stack);
      this.stack = more;
    }
    const s = this.stack;
    const f = this.top;
    s[f] = id;
    s[f + 1] = first;
    s[f + 2] = stride;
    s[f + 3] = n;
    this.top = f + FRAME_WORDS;
  }

  private finish(id: number): number {
    const d = this.d;
    const r = d.recs;
    const w = r.words;
    const x = r.off[id];
    let key: number;
    let newId = id;
    switch ((w[x + 1] >>> 24) & 0x7f) {
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
      default: {
        // commonKey and firstEqual with equalCommon, inline (most
        // reference types are here).
        key = commonKey(r, id);
        const table = d.table;
        for (let e = table.first(key); e >= 0; e = table.next(e)) {
          if (--d.walkBudget < 0) d.outOfSteps(id);
          const cand = table.id(e);
          const y = r.off[cand];
          if (w[x] === w[y] && w[x + 1] === w[y + 1] && w[x + 2] === w[y + 2]) {
            newId = cand;
            break;
          }
        }
        break;
      }
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
