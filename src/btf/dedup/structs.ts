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
  const walk = new EquivWalk(d);
  for (let id = recs.firstId; id < recs.count; id++) {
    if (d.isMapped(id)) continue;
    if (!isComposite(recs.kind(id))) continue;
    const key = structKey(recs, id);
    let newId = id;
    const cands = table.candidates(key);
    for (let i = cands.length - 1; i >= 0; i--) {
      const cand = cands[i];
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

/** Words per stack frame: candidate id, canonical id, next child, children. */
const FRAME_WORDS = 4;

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
 */
export class EquivWalk {
  private stack = new Uint32Array(64 * FRAME_WORDS);
  private top = 0;
  /** The pair to compare next. */
  private a = 0;
  private b = 0;

  constructor(private readonly d: DedupState) {}

  isEquiv(cand: number, canon: number): boolean {
    this.top = 0;
    this.a = cand;
    this.b = canon;
    for (;;) {
      let o: Outcome = this.step(this.a, this.b);
      while (o === TAIL || o === FRAME) {
        if (o === FRAME) {
          const f = this.top - FRAME_WORDS;
          const n = this.stack[f + 3];
          if (n === 0) {
            this.top = f;
            o = YES;
            break;
          }
          this.pairAt(f, 0);
          this.stack[f + 2] = 1;
          if (n === 1) this.top = f;
        }
        o = this.step(this.a, this.b);
      }
      if (o === NO) return false;
      if (this.top === 0) return true;
      const f = this.top - FRAME_WORDS;
      const i = this.stack[f + 2];
      this.pairAt(f, i);
      this.stack[f + 2] = i + 1;
      if (i + 1 >= this.stack[f + 3]) this.top = f;
    }
  }

  private push(cand: number, canon: number, n: number): Outcome {
    if (this.top + FRAME_WORDS > this.stack.length) {
      const more = new Uint32Array(this.stack.length * 2);
      more.set(this.stack);
      this.stack = more;
    }
    const s = this.stack;
    const f = this.top;
    s[f] = cand;
    s[f + 1] = canon;
    s[f + 2] = 0;
    s[f + 3] = n;
    this.top = f + FRAME_WORDS;
    return FRAME;
  }

  /** The i-th child pair of the frame at f, into (a, b). Both types have
   * the same kind (step checked it). */
  private pairAt(f: number, i: number): void {
    const r = this.d.recs;
    const w = r.words;
    const x = r.off[this.stack[f]];
    const y = r.off[this.stack[f + 1]];
    const kind = (w[x + 1] >>> 24) & 0x7f;
    let p: number;
    if (kind === Kind.Array) p = i === 0 ? 4 : 3;
    else if (kind === Kind.FuncProto) p = i === 0 ? 2 : 2 + 2 * i;
    else p = 4 + 3 * i;
    this.a = w[x + p];
    this.b = w[y + p];
  }

  private step(candId: number, canonId: number): Outcome {
    const d = this.d;
    const r = d.recs;
    d.spend(candId);
    if (d.resolve(candId) === d.resolve(canonId)) return YES;
    canonId = d.resolveFwd(canonId);
    const hyp = d.hypot[canonId];
    if (hyp <= MAX_ID) {
      if (hyp === candId) return YES;
      // Compilers sometimes emit two identical copies of an array, struct or
      // pointer type within one unit and use both; accept those exact copies.
      return equalArray(r, hyp, candId) || identicalStructs(d, hyp, candId) || identicalPtrs(d, hyp, candId) ? YES : NO;
    }
    d.hypot[canonId] = candId;
    d.hypotList.push(canonId);

    if (r.name(candId) !== r.name(canonId)) return NO;
    const ck = r.kind(candId);
    const nk = r.kind(canonId);

    // FWD <-> STRUCT/UNION: equivalent when the FWD is of the same flavour.
    if ((ck === Kind.Fwd || nk === Kind.Fwd) && ck !== nk) {
      if (ck === Kind.Fwd) return fwdKind(d, candId) === nk ? YES : NO;
      const fk = fwdKind(d, canonId);
      // A base FWD would have to become the struct: only FWDs may be adjusted
      // then, the graphs are otherwise not taken as equivalent.
      if (fk === ck && canonId < r.firstId) d.hypotAdjustCanon = true;
      return fk === ck ? YES : NO;
    }
    if (ck !== nk) return NO;

    switch (ck) {
      case Kind.Int:
        return equalIntTag(r, candId, canonId) ? YES : NO;
      case Kind.Enum:
      case Kind.Enum64:
        return compatEnum(r, candId, canonId) ? YES : NO;
      case Kind.Fwd:
      case Kind.Float:
        return equalCommon(r, candId, canonId) ? YES : NO;
      case Kind.Const:
      case Kind.Volatile:
      case Kind.Restrict:
      case Kind.Ptr:
      case Kind.Typedef:
      case Kind.Func:
      case Kind.TypeTag:
        if (r.info(candId) !== r.info(canonId)) return NO;
        this.a = r.sot(candId);
        this.b = r.sot(canonId);
        return TAIL;
      case Kind.Array:
        if (!compatArray(r, candId, canonId)) return NO;
        return this.push(candId, canonId, 2);
      case Kind.Struct:
      case Kind.Union:
        if (!shallowEqualStruct(r, candId, canonId)) return NO;
        return this.push(candId, canonId, r.vlen(candId));
      case Kind.FuncProto:
        if (!compatFnProto(r, candId, canonId)) return NO;
        return this.push(candId, canonId, r.vlen(candId) + 1);
      default:
        // libbpf fails the whole dedup here (-EINVAL): such a type (VAR,
        // DATASEC, DECL_TAG, void) cannot be a member's type.
        throw d.error(`a ${ck === Kind.Unknown ? 'void' : `type of kind ${ck}`} cannot take part in a struct equivalence check`, candId);
    }
  }
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
  const { recs, map } = d;
  const list = d.hypotList;
  for (let i = 0; i < list.length; i++) {
    const canonId = list[i];
    const t = d.resolve(d.hypot[canonId]);
    const c = d.resolve(canonId);
    const tk = recs.kind(t);
    const ck = recs.kind(c);
    if (tk !== Kind.Fwd && ck === Kind.Fwd) map[c] = t;
    if (d.hypotAdjustCanon) continue;
    if (tk === Kind.Fwd && ck !== Kind.Fwd) map[t] = c;
    if (isComposite(tk) && ck !== Kind.Fwd && d.isMapped(c) && !d.isMapped(t)) map[t] = c;
  }
}
