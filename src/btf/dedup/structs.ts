import { Kind } from '../kinds.js';
import type { CompositeType } from '../types.js';
import { compatArray, compatEnum, compatFnProto, equalArray, equalCommon, equalIntTag, shallowEqualStruct, structKey } from './keys.js';
import { MAX_ID, type DedupState } from './state.js';
import { infoOf, type ViewType } from './types-view.js';

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
  const { view, map, table } = d;
  for (let id = view.firstId; id < view.count; id++) {
    if (d.isMapped(id)) continue;
    const t = view.ownType(id);
    if (t.kind !== Kind.Struct && t.kind !== Kind.Union) continue;
    const key = structKey(t, d.nameId);
    let newId = id;
    const cands = table.candidates(key);
    for (let i = cands.length - 1; i >= 0; i--) {
      const cand = cands[i];
      // Hashes collide, and a FWD must never be picked (the walk would take
      // it as equivalent). The walk's first step checks the shape, which
      // libbpf checks here: a mismatch fails at once either way.
      const ck = view.type(cand).kind;
      if (ck !== Kind.Struct && ck !== Kind.Union) continue;
      d.clearHypot();
      if (!isEquiv(d, id, cand)) continue;
      mergeHypot(d);
      if (d.hypotAdjustCanon) continue;
      newId = cand;
      break;
    }
    map[id] = newId;
    if (newId === id) table.add(key, id);
  }
}

/**
 * A node still comparing its children: pair `i` of `n` (struct/union
 * members; FUNC_PROTO return type then parameters; ARRAY index type then
 * element type).
 */
interface Frame {
  cand: ViewType;
  canon: ViewType;
  i: number;
  n: number;
}

/** Outcome of one step: a verdict, or go on with the pair left in `next`
 * (a node with one child) or with a new frame (several children). */
const NO = 0;
const YES = 1;
const TAIL = 2;
const FRAME = 3;
type Outcome = typeof NO | typeof YES | typeof TAIL | typeof FRAME;

/** Scratch for step(): the pair to continue with, or the frame to push. */
interface Cursor {
  a: number;
  b: number;
  frame: Frame | undefined;
}

/**
 * libbpf's btf_dedup_is_equiv without recursion. A node is equivalent when
 * all its child pairs are, checked in order and stopping at the first
 * that is not, so a "no" anywhere is the answer for the whole walk and a
 * "yes" moves on to the next pending pair. Pending pairs sit on an explicit
 * stack (a node with one child, or a node's last child, needs no stack
 * entry), so the hypothetical map sees the same updates in the same order
 * as the recursive original, and depth is bounded by the number of types,
 * not the call stack.
 */
export function isEquiv(d: DedupState, cand: number, canon: number): boolean {
  const stack: Frame[] = [];
  const cur: Cursor = { a: cand, b: canon, frame: undefined };
  for (;;) {
    let o: Outcome = step(d, cur.a, cur.b, cur);
    while (o === TAIL || o === FRAME) {
      if (o === FRAME) {
        const f = cur.frame!;
        if (f.n === 0) {
          o = YES;
          break;
        }
        pairAt(f, 0, cur);
        f.i = 1;
        if (f.n > 1) stack.push(f);
      }
      o = step(d, cur.a, cur.b, cur);
    }
    if (o === NO) return false;
    const f = stack[stack.length - 1];
    if (f === undefined) return true;
    pairAt(f, f.i, cur);
    if (++f.i >= f.n) stack.pop();
  }
}

/** The i-th child pair of a frame, into `cur.a` / `cur.b`. */
function pairAt(f: Frame, i: number, cur: Cursor): void {
  const x = f.cand;
  const y = f.canon;
  if ((x.kind === Kind.Struct || x.kind === Kind.Union) && (y.kind === Kind.Struct || y.kind === Kind.Union)) {
    cur.a = x.members[i].type;
    cur.b = y.members[i].type;
  } else if (x.kind === Kind.FuncProto && y.kind === Kind.FuncProto) {
    cur.a = i === 0 ? x.returnType : x.params[i - 1].type;
    cur.b = i === 0 ? y.returnType : y.params[i - 1].type;
  } else if (x.kind === Kind.Array && y.kind === Kind.Array) {
    cur.a = i === 0 ? x.indexType : x.type;
    cur.b = i === 0 ? y.indexType : y.type;
  }
}

function step(d: DedupState, candId: number, canonId: number, cur: Cursor): Outcome {
  d.spend(candId);
  if (d.resolve(candId) === d.resolve(canonId)) return YES;
  canonId = d.resolveFwd(canonId);
  const hyp = d.hypot[canonId];
  if (hyp <= MAX_ID) {
    if (hyp === candId) return YES;
    // Compilers sometimes emit two identical copies of an array, struct or
    // pointer type within one unit and use both; accept those exact copies.
    return identicalArrays(d, hyp, candId) || identicalStructs(d, hyp, candId) || identicalPtrs(d, hyp, candId) ? YES : NO;
  }
  d.hypot[canonId] = candId;
  d.hypotList.push(canonId);

  const cand = d.view.type(candId);
  const canon = d.view.type(canonId);
  if (cand.name !== canon.name) return NO;

  // FWD <-> STRUCT/UNION: equivalent when the FWD is of the same flavour.
  if ((cand.kind === Kind.Fwd || canon.kind === Kind.Fwd) && cand.kind !== canon.kind) {
    if (cand.kind === Kind.Fwd) return fwdKind(cand) === canon.kind ? YES : NO;
    const fk = fwdKind(canon);
    // A base FWD would have to become the struct: only FWDs may be adjusted
    // then, the graphs are otherwise not taken as equivalent.
    if (fk === cand.kind && canonId < d.view.firstId) d.hypotAdjustCanon = true;
    return fk === cand.kind ? YES : NO;
  }
  if (cand.kind !== canon.kind) return NO;

  switch (cand.kind) {
    case Kind.Int:
      return equalIntTag(cand, canon) ? YES : NO;
    case Kind.Enum:
    case Kind.Enum64:
      return compatEnum(cand, canon) ? YES : NO;
    case Kind.Fwd:
    case Kind.Float:
      return equalCommon(cand, canon) ? YES : NO;
    case Kind.Const:
    case Kind.Volatile:
    case Kind.Restrict:
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Func:
    case Kind.TypeTag:
      if (infoOf(cand) !== infoOf(canon) || canon.kind !== cand.kind) return NO;
      cur.a = cand.type;
      cur.b = canon.type;
      return TAIL;
    case Kind.Array:
      if (!compatArray(cand, canon)) return NO;
      cur.frame = { cand, canon, i: 0, n: 2 };
      return FRAME;
    case Kind.Struct:
    case Kind.Union:
      if (!shallowEqualStruct(cand, canon)) return NO;
      cur.frame = { cand, canon, i: 0, n: cand.members.length };
      return FRAME;
    case Kind.FuncProto:
      if (!compatFnProto(cand, canon)) return NO;
      cur.frame = { cand, canon, i: 0, n: cand.params.length + 1 };
      return FRAME;
    default:
      // libbpf fails the whole dedup here (-EINVAL): such a type (VAR,
      // DATASEC, DECL_TAG, void) cannot be a member's type.
      throw d.error(`a ${kindWord(cand)} cannot take part in a struct equivalence check`, candId);
  }
}

function kindWord(t: ViewType): string {
  return t.kind === Kind.Unknown ? 'void' : `type of kind ${t.kind}`;
}

function fwdKind(t: ViewType): Kind {
  return t.kind === Kind.Fwd && t.kflag ? Kind.Union : Kind.Struct;
}

function identicalArrays(d: DedupState, a: number, b: number): boolean {
  return equalArray(d.view.type(a), d.view.type(b));
}

/**
 * Same shape, and each member pair the very same type id or (recursively)
 * identical arrays or structs. Recursion follows members by value only,
 * which cannot cycle; it is bounded anyway so hostile input cannot exhaust
 * the stack.
 */
function identicalStructs(d: DedupState, a: number, b: number, depth = 0): boolean {
  const x = d.view.type(a);
  const y = d.view.type(b);
  if ((x.kind !== Kind.Struct && x.kind !== Kind.Union) || x.kind !== y.kind) return false;
  if (!shallowEqualStruct(x, y)) return false;
  if (depth > MAX_IDENTICAL_DEPTH) throw d.error('structs nest too deeply', a);
  const ym = (y as CompositeType).members;
  for (let i = 0; i < x.members.length; i++) {
    const p = x.members[i].type;
    const q = ym[i].type;
    if (p !== q && !identicalArrays(d, p, q) && !identicalStructs(d, p, q, depth + 1)) return false;
  }
  return true;
}

const MAX_IDENTICAL_DEPTH = 1000;

/** Two pointers to the very same type id. */
function identicalPtrs(d: DedupState, a: number, b: number): boolean {
  const x = d.view.type(a);
  const y = d.view.type(b);
  return x.kind === Kind.Ptr && y.kind === Kind.Ptr && x.type === y.type;
}

/**
 * Turn a successful hypothetical pairing into real mappings (libbpf's
 * btf_dedup_merge_hypot_map): FWDs resolve to their struct; a struct of the
 * candidate graph whose partner is already canonical maps to it.
 */
function mergeHypot(d: DedupState): void {
  const { view, map } = d;
  for (const canonId of d.hypotList) {
    const t = d.resolve(d.hypot[canonId]);
    const c = d.resolve(canonId);
    const tk = view.type(t).kind;
    const ck = view.type(c).kind;
    if (tk !== Kind.Fwd && ck === Kind.Fwd) map[c] = t;
    if (d.hypotAdjustCanon) continue;
    if (tk === Kind.Fwd && ck !== Kind.Fwd) map[t] = c;
    if ((tk === Kind.Struct || tk === Kind.Union) && ck !== Kind.Fwd && d.isMapped(c) && !d.isMapped(t)) map[t] = c;
  }
}
