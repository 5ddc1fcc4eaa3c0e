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
      // Hashes collide: check the shape (this also keeps a FWD from being
      // picked, which the walk would take as equivalent).
      if (!shallowEqualStruct(t, view.type(cand))) continue;
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

/** One step of the walk: a final verdict, or the pairs still to compare in
 * order (all must be equivalent). */
type Step = boolean | number[];

/**
 * libbpf's btf_dedup_is_equiv without recursion. A node is equivalent when
 * all its child pairs are, checked in order and stopping at the first
 * that is not, so a "no" anywhere is the answer for the whole walk and a
 * "yes" moves on to the next pending pair. Pending pairs sit on an explicit
 * stack (a node's last pair needs no stack entry), so the hypothetical map
 * sees the same updates in the same order as the recursive original, and
 * depth is bounded by the number of types, not the call stack.
 */
export function isEquiv(d: DedupState, cand: number, canon: number): boolean {
  const stack: { pairs: number[]; i: number }[] = [];
  let s: Step = step(d, cand, canon);
  for (;;) {
    while (typeof s !== 'boolean') {
      if (s.length === 0) {
        s = true;
        break;
      }
      if (s.length > 2) stack.push({ pairs: s, i: 2 });
      s = step(d, s[0], s[1]);
    }
    if (!s) return false;
    const f = stack[stack.length - 1];
    if (f === undefined) return true;
    const a = f.pairs[f.i];
    const b = f.pairs[f.i + 1];
    f.i += 2;
    if (f.i >= f.pairs.length) stack.pop();
    s = step(d, a, b);
  }
}

function step(d: DedupState, candId: number, canonId: number): Step {
  if (d.resolve(candId) === d.resolve(canonId)) return true;
  canonId = d.resolveFwd(canonId);
  const hyp = d.hypot[canonId];
  if (hyp <= MAX_ID) {
    if (hyp === candId) return true;
    // Compilers sometimes emit two identical copies of an array or struct
    // type within one unit and use both; accept those exact copies.
    return identicalArrays(d, hyp, candId) || identicalStructs(d, hyp, candId);
  }
  d.hypot[canonId] = candId;
  d.hypotList.push(canonId);

  const cand = d.view.type(candId);
  const canon = d.view.type(canonId);
  if (cand.name !== canon.name) return false;

  // FWD <-> STRUCT/UNION: equivalent when the FWD is of the same flavour.
  if ((cand.kind === Kind.Fwd || canon.kind === Kind.Fwd) && cand.kind !== canon.kind) {
    if (cand.kind === Kind.Fwd) return fwdKind(cand) === canon.kind;
    const fk = fwdKind(canon);
    // A base FWD would have to become the struct: only FWDs may be adjusted
    // then, the graphs are otherwise not taken as equivalent.
    if (fk === cand.kind && canonId < d.view.firstId) d.hypotAdjustCanon = true;
    return fk === cand.kind;
  }
  if (cand.kind !== canon.kind) return false;

  switch (cand.kind) {
    case Kind.Int:
      return equalIntTag(cand, canon);
    case Kind.Enum:
    case Kind.Enum64:
      return compatEnum(cand, canon);
    case Kind.Fwd:
    case Kind.Float:
      return equalCommon(cand, canon);
    case Kind.Const:
    case Kind.Volatile:
    case Kind.Restrict:
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Func:
    case Kind.TypeTag:
      if (infoOf(cand) !== infoOf(canon) || canon.kind !== cand.kind) return false;
      return [cand.type, canon.type];
    case Kind.Array:
      if (!compatArray(cand, canon) || canon.kind !== Kind.Array) return false;
      return [cand.indexType, canon.indexType, cand.type, canon.type];
    case Kind.Struct:
    case Kind.Union: {
      if (!shallowEqualStruct(cand, canon) || (canon.kind !== Kind.Struct && canon.kind !== Kind.Union)) return false;
      const pairs = new Array<number>(cand.members.length * 2);
      for (let i = 0; i < cand.members.length; i++) {
        pairs[2 * i] = cand.members[i].type;
        pairs[2 * i + 1] = canon.members[i].type;
      }
      return pairs;
    }
    case Kind.FuncProto: {
      if (!compatFnProto(cand, canon) || canon.kind !== Kind.FuncProto) return false;
      const pairs = [cand.returnType, canon.returnType];
      for (let i = 0; i < cand.params.length; i++) pairs.push(cand.params[i].type, canon.params[i].type);
      return pairs;
    }
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

/** Same shape and the very same member type ids. */
function identicalStructs(d: DedupState, a: number, b: number): boolean {
  const x = d.view.type(a);
  const y = d.view.type(b);
  if ((x.kind !== Kind.Struct && x.kind !== Kind.Union) || x.kind !== y.kind) return false;
  if (!shallowEqualStruct(x, y)) return false;
  const ym = (y as CompositeType).members;
  for (let i = 0; i < x.members.length; i++) if (x.members[i].type !== ym[i].type) return false;
  return true;
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
