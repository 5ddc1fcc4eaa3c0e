import { Kind } from '../kinds.js';
import { compatArray, compatEnum, compatFnProto, equalArray, equalCommon, equalIntTag, shallowEqualStruct, structKey } from './keys.js';
import { isComposite } from './records.js';
import { MAX_ID, type DedupState } from './state.js';

/**
 * Pass 2: structs and unions, in id order. A struct maps to the first
 * table candidate with the same shape (name, size, member names and
 * offsets) whose whole reachable type graph is equivalent to its own. The
 * check walks both graphs in step, recording a hypothetical
 * canonical -> candidate pairing; meeting a pair again ends that branch
 * (this is what makes cycles through pointers terminate). When the check
 * succeeds, the pairing is merged into the real map: FWDs resolve to the
 * struct they were paired with, and structs with a canonical partner map to
 * it right away.
 */
export function dedupStructTypes(d: DedupState): void {
  const { recs, map, table } = d;
  const { words, off } = recs;
  const walk = new EquivWalk(d);
  for (let id = recs.firstId; id < recs.count; id++) {
    if (map[id] <= MAX_ID) continue;
    const kind = (words[off[id] + 1] >>> 24) & 0x7f;
    if (kind !== Kind.Struct && kind !== Kind.Union) continue;
    const key = structKey(recs, id);
    let newId = id;
    for (let e = table.first(key); e >= 0; e = table.next(e)) {
      const cand = table.id(e);
      // Hashes collide, and a FWD must never be picked (the walk would take
      // it as equivalent). The walk's first step checks the shape, which
      // libbpf checks here: a mismatch fails at once either way.
      if (!isComposite(recs.kind(cand))) continue;
      d.clearHypot();
      if (!walk.isEquiv(id, cand)) continue;
      mergeHypot(d);
      if (d.hypotAdjustCanon) continue;
      newId = cand;
      break;
    }
    map[id] = newId;
    if (newId === id) table.add(key, id);
  }
}

/** Outcome of one step: a verdict, or go on with the pair left in
 * (a, b) (a node with one child) or with the frame just pushed (several
 * children). */
const NO = 0;
const YES = 1;
const TAIL = 2;
const FRAME = 3;
type Outcome = typeof NO | typeof YES | typeof TAIL | typeof FRAME;

/** Words per stack frame: the two records' word offsets, the word (within
 * the records) of the next child pair, the step to the one after, and how
 * many pairs are left. */
const FRAME_WORDS = 5;

/**
 * libbpf's btf_dedup_is_equiv without recursion. A node is equivalent when
 * all its child pairs are, checked in order and stopping at the first
 * that is not, so a "no" anywhere is the answer for the whole walk and a
 * "yes" moves on to the next pending pair. Pending pairs sit on an explicit
 * stack of frames (a node still comparing its children: struct/union
 * members; FUNC_PROTO return type then parameters; ARRAY index type then
 * element type), kept in one reused typed array; a node with one child, or
 * a node's last child, needs no frame. So the hypothetical map sees the
 * same updates in the same order as the recursive original, and depth is
 * bounded by the number of types, not the call stack.
 *
 * Record fields are read inline rather than through DedupRecords' helpers:
 * most of a one-shot link runs before V8 optimises this code, and in the
 * interpreter every call costs more than the work it wraps.
 */
export class EquivWalk {
  // Signed: an array's stride is -1.
  private stack = new Int32Array(64 * FRAME_WORDS);
  private top = 0;
  /** The pair to compare next. */
  private a = 0;
  private b = 0;
  private readonly w: Uint32Array;
  private readonly off: Uint32Array;

  constructor(private readonly d: DedupState) {
    this.w = d.recs.words;
    this.off = d.recs.off;
  }

  isEquiv(cand: number, canon: number): boolean {
    const w = this.w;
    this.top = 0;
    this.a = cand;
    this.b = canon;
    for (;;) {
      let o: Outcome = this.step(this.a, this.b);
      while (o === TAIL || o === FRAME) {
        if (o === FRAME) {
          // The frame just pushed: its first pair, and drop it when that
          // is its only one.
          const f = this.top - FRAME_WORDS;
          const s = this.stack;
          const left = s[f + 4];
          if (left === 0) {
            this.top = f;
            o = YES;
            break;
          }
          const p = s[f + 2];
          this.a = w[s[f] + p];
          this.b = w[s[f + 1] + p];
          s[f + 2] = p + s[f + 3];
          s[f + 4] = left - 1;
          if (left === 1) this.top = f;
        }
        o = this.step(this.a, this.b);
      }
      if (o === NO) return false;
      if (this.top === 0) return true;
      const f = this.top - FRAME_WORDS;
      const s = this.stack;
      const p = s[f + 2];
      this.a = w[s[f] + p];
      this.b = w[s[f + 1] + p];
      s[f + 2] = p + s[f + 3];
      const left = s[f + 4] - 1;
      s[f + 4] = left;
      if (left === 0) this.top = f;
    }
  }

  /** Push a frame for `n` child pairs of the records at word offsets x and
   * y, the first at word p, then every `stride` words (an array's index
   * type comes before its element type: stride -1). */
  private push(x: number, y: number, p: number, stride: number, n: number): Outcome {
    if (this.top + FRAME_WORDS > this.stack.length) {
      const more = new Int32Array(this.stack.length * 2);
      more.set(this.stack);
      this.stack = more;
    }
    const s = this.stack;
    const f = this.top;
    s[f] = x;
    s[f + 1] = y;
    s[f + 2] = p;
    s[f + 3] = stride;
    s[f + 4] = n;
    this.top = f + FRAME_WORDS;
    return FRAME;
  }

  private step(candId: number, canonId: number): Outcome {
    const d = this.d;
    if (--d.walkBudget < 0) d.outOfSteps(candId);
    const map = d.map;
    const mc = map[candId];
    const rc = mc === candId || mc > MAX_ID ? candId : d.resolve(candId);
    const mn = map[canonId];
    const rn = mn === canonId || mn > MAX_ID ? canonId : d.resolve(canonId);
    if (rc === rn) return YES;
    const w = this.w;
    const off = this.off;
    // A FWD stands for what it resolved to, once that is no longer a FWD.
    if (((w[off[canonId] + 1] >>> 24) & 0x7f) === Kind.Fwd && ((w[off[rn] + 1] >>> 24) & 0x7f) !== Kind.Fwd) canonId = rn;
    const hyp = d.hypot[canonId];
    if (hyp <= MAX_ID) return hyp === candId ? YES : pairedElsewhere(d, hyp, candId);
    d.hypot[canonId] = candId;
    d.addHypot(canonId);

    const x = off[candId];
    const y = off[canonId];
    if (w[x] !== w[y]) return NO; // names
    const ck = (w[x + 1] >>> 24) & 0x7f;
    const nk = (w[y + 1] >>> 24) & 0x7f;

    // FWD <-> STRUCT/UNION: equivalent when the FWD is of the same flavour.
    if ((ck === Kind.Fwd || nk === Kind.Fwd) && ck !== nk) return fwdAndStruct(d, candId, ck, canonId, nk);
    if (ck !== nk) return NO;

    switch (ck) {
      case Kind.Const:
      case Kind.Volatile:
      case Kind.Restrict:
      case Kind.Ptr:
      case Kind.Typedef:
      case Kind.Func:
      case Kind.TypeTag:
        if (w[x + 1] !== w[y + 1]) return NO;
        this.a = w[x + 2];
        this.b = w[y + 2];
        return TAIL;
      case Kind.Struct:
      case Kind.Union: {
        // shallowEqualStruct: name (checked), info, size, then member names
        // and offsets.
        if (w[x + 1] !== w[y + 1] || w[x + 2] !== w[y + 2]) return NO;
        const n = w[x + 1] & 0xffffff;
        for (let m = 3, end = 3 + 3 * n; m < end; m += 3) {
          if (w[x + m] !== w[y + m] || w[x + m + 2] !== w[y + m + 2]) return NO;
        }
        return this.push(x, y, 4, 3, n);
      }
      case Kind.Int:
        return equalIntTag(d.recs, candId, canonId) ? YES : NO;
      case Kind.Enum:
      case Kind.Enum64:
        return compatEnum(d.recs, candId, canonId) ? YES : NO;
      case Kind.Fwd:
      case Kind.Float:
        return equalCommon(d.recs, candId, canonId) ? YES : NO;
      case Kind.Array:
        if (!compatArray(d.recs, candId, canonId)) return NO;
        return this.push(x, y, 4, -1, 2);
      case Kind.FuncProto:
        if (!compatFnProto(d.recs, candId, canonId)) return NO;
        return this.push(x, y, 2, 2, (w[x + 1] & 0xffffff) + 1);
      default:
        // libbpf fails the whole dedup here (-EINVAL): such a type (VAR,
        // DATASEC, DECL_TAG, void) cannot be a member's type.
        throw d.error(`a ${ck === Kind.Unknown ? 'void' : `type of kind ${ck}`} cannot take part in a struct equivalence check`, candId);
    }
  }
}

/** The canonical side is already paired with another candidate: equal
 * only when the two are exact copies. (Apart from step, which stays small
 * for V8 to optimise it early.) */
function pairedElsewhere(d: DedupState, hyp: number, candId: number): Outcome {
  // Compilers sometimes emit two identical copies of an array, struct or
  // pointer type within one unit and use both; accept those exact copies.
  const r = d.recs;
  return equalArray(r, hyp, candId) || identicalStructs(d, hyp, candId) || identicalPtrs(d, hyp, candId) ? YES : NO;
}

/** FWD <-> STRUCT/UNION: equivalent when the FWD is of the same flavour. */
function fwdAndStruct(d: DedupState, candId: number, ck: number, canonId: number, nk: number): Outcome {
  if (ck === Kind.Fwd) return fwdKind(d, candId) === nk ? YES : NO;
  const fk = fwdKind(d, canonId);
  // A base FWD would have to become the struct: only FWDs may be adjusted
  // then, the graphs are otherwise not taken as equivalent.
  if (fk === ck && canonId < d.recs.firstId) d.hypotAdjustCanon = true;
  return fk === ck ? YES : NO;
}

function fwdKind(d: DedupState, id: number): Kind {
  return d.recs.kind(id) === Kind.Fwd && d.recs.kflag(id) ? Kind.Union : Kind.Struct;
}

/**
 * Same shape, and each member pair the very same type id or (recursively)
 * identical arrays or structs. Recursion follows members by value only,
 * which cannot cycle; it is bounded anyway so hostile input cannot exhaust
 * the stack.
 */
function identicalStructs(d: DedupState, a: number, b: number, depth = 0): boolean {
  const r = d.recs;
  const k = r.kind(a);
  if (!isComposite(k) || k !== r.kind(b)) return false;
  if (!shallowEqualStruct(r, a, b)) return false;
  if (depth > MAX_IDENTICAL_DEPTH) throw d.error('structs nest too deeply', a);
  const w = r.words;
  const x = r.off[a];
  const y = r.off[b];
  for (let m = 4, end = 3 + 3 * r.vlen(a); m < end; m += 3) {
    const p = w[x + m];
    const q = w[y + m];
    if (p !== q && !equalArray(r, p, q) && !identicalStructs(d, p, q, depth + 1)) return false;
  }
  return true;
}

const MAX_IDENTICAL_DEPTH = 1000;

/** Two pointers to the very same type id. */
function identicalPtrs(d: DedupState, a: number, b: number): boolean {
  const r = d.recs;
  return r.kind(a) === Kind.Ptr && r.kind(b) === Kind.Ptr && r.sot(a) === r.sot(b);
}

/**
 * Turn a successful hypothetical pairing into real mappings (libbpf's
 * btf_dedup_merge_hypot_map): FWDs resolve to their struct; a struct of the
 * candidate graph whose partner is already canonical maps to it.
 */
function mergeHypot(d: DedupState): void {
  const { map, hypot } = d;
  const { words, off } = d.recs;
  const list = d.hypotList;
  for (let i = 0; i < d.hypotCount; i++) {
    const canonId = list[i];
    const h = hypot[canonId];
    const mh = map[h];
    const t = mh === h || mh > MAX_ID ? h : d.resolve(h);
    const mc = map[canonId];
    const c = mc === canonId || mc > MAX_ID ? canonId : d.resolve(canonId);
    const tk = (words[off[t] + 1] >>> 24) & 0x7f;
    const ck = (words[off[c] + 1] >>> 24) & 0x7f;
    if (tk !== Kind.Fwd && ck === Kind.Fwd) map[c] = t;
    if (d.hypotAdjustCanon) continue;
    if (tk === Kind.Fwd && ck !== Kind.Fwd) map[t] = c;
    if (isComposite(tk) && ck !== Kind.Fwd && d.isMapped(c) && !d.isMapped(t)) map[t] = c;
  }
}
