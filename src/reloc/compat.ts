/**
 * The three CO-RE type relations of libbpf:
 *
 *   fieldsAreCompat  (bpf_core_fields_are_compat)  for the field at the end
 *                    of a field access path;
 *   typesAreCompat   (bpf_core_types_are_compat)   for type-based kinds;
 *   typesMatch       (bpf_core_types_match)        for type_matches, stricter.
 *
 * Results are 1 (yes), 0 (no) or a negative number (error: loops deeper than
 * libbpf allows, unknown ids), as in libbpf.
 */
import { INT_SIGNED, Kind, type AnyBtfType, type Btf } from '../btf/index.js';
import { essentialNameLen, isAnyEnum, isComposite, kindAt, SpecError, skipMods } from './spec.js';

const EINVAL = -22;

/** btf_kind_core_compat: same kind, or both ENUM/ENUM64. */
export function kindsCoreCompat(a: number, b: number): boolean {
  return a === b || ((a === Kind.Enum || a === Kind.Enum64) && (b === Kind.Enum || b === Kind.Enum64));
}

function kindOf(t: AnyBtfType | undefined): number {
  return t?.kind ?? Kind.Unknown;
}

function safeSkip(btf: Btf, id: number): { id: number; t: AnyBtfType | undefined } | undefined {
  try {
    return skipMods(btf, id);
  } catch (e) {
    if (e instanceof SpecError) return undefined;
    throw e;
  }
}

/** Essential names equal (libbpf compares the flavor-less prefixes). */
export function essentialNamesEqual(a: string, b: string): boolean {
  const la = essentialNameLen(a);
  const lb = essentialNameLen(b);
  return la === lb && a.slice(0, la) === b.slice(0, lb);
}

export function fieldsAreCompat(localBtf: Btf, localId: number, targBtf: Btf, targId: number): number {
  for (let depth = 0; depth < 64; depth++) {
    const l = safeSkip(localBtf, localId);
    const r = safeSkip(targBtf, targId);
    if (l === undefined || r === undefined) return EINVAL;
    if (isComposite(l.t) && isComposite(r.t)) return 1;
    const lk = kindOf(l.t);
    if (!kindsCoreCompat(lk, kindOf(r.t))) return 0;
    const lt = l.t!;
    const rt = r.t!;
    switch (lk) {
      case Kind.Ptr:
      case Kind.Float:
        return 1;
      case Kind.Fwd:
      case Kind.Enum:
      case Kind.Enum64: {
        const ll = essentialNameLen(lt.name);
        const rl = essentialNameLen(rt.name);
        return ll === 0 || rl === 0 || (ll === rl && lt.name.slice(0, ll) === rt.name.slice(0, rl)) ? 1 : 0;
      }
      case Kind.Int:
        return lt.kind === Kind.Int && rt.kind === Kind.Int && lt.bitsOffset === 0 && rt.bitsOffset === 0 ? 1 : 0;
      case Kind.Array:
        if (lt.kind !== Kind.Array || rt.kind !== Kind.Array) return 0;
        localId = lt.type;
        targId = rt.type;
        continue;
      default:
        return 0;
    }
  }
  return EINVAL;
}

/** __bpf_core_types_are_compat with libbpf's limits (depth 32 per chain,
 * 32 levels of function-prototype nesting). */
export function typesAreCompat(localBtf: Btf, localId: number, targBtf: Btf, targId: number, level = 32): number {
  let lk: number;
  let rk: number;
  try {
    lk = kindAt(localBtf, localId);
    rk = kindAt(targBtf, targId);
  } catch {
    return EINVAL;
  }
  if (!kindsCoreCompat(lk, rk)) return 0;
  let depth = 32;
  for (;;) {
    depth--;
    if (depth < 0) return EINVAL;
    const l = safeSkip(localBtf, localId);
    const r = safeSkip(targBtf, targId);
    if (l === undefined || r === undefined) return EINVAL;
    localId = l.id;
    targId = r.id;
    const lt = l.t;
    const rt = r.t;
    if (!kindsCoreCompat(kindOf(lt), kindOf(rt))) return 0;
    if (lt === undefined || rt === undefined) return 1; // void (BTF_KIND_UNKN)
    switch (lt.kind) {
      case Kind.Unknown:
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Fwd:
      case Kind.Enum64:
        return 1;
      case Kind.Int:
        return rt.kind === Kind.Int && lt.bitsOffset === 0 && rt.bitsOffset === 0 ? 1 : 0;
      case Kind.Ptr:
        if (rt.kind !== Kind.Ptr) return 0;
        localId = lt.type;
        targId = rt.type;
        continue;
      case Kind.Array:
        if (rt.kind !== Kind.Array) return 0;
        localId = lt.type;
        targId = rt.type;
        continue;
      case Kind.FuncProto: {
        if (rt.kind !== Kind.FuncProto) return 0;
        if (lt.params.length !== rt.params.length) return 0;
        for (let i = 0; i < lt.params.length; i++) {
          if (level <= 0) return EINVAL;
          const lp = safeSkip(localBtf, lt.params[i].type);
          const rp = safeSkip(targBtf, rt.params[i].type);
          if (lp === undefined || rp === undefined) return EINVAL;
          const err = typesAreCompat(localBtf, lp.id, targBtf, rp.id, level - 1);
          if (err <= 0) return err;
        }
        const lr = safeSkip(localBtf, lt.returnType);
        const rr = safeSkip(targBtf, rt.returnType);
        if (lr === undefined || rr === undefined) return EINVAL;
        localId = lr.id;
        targId = rr.id;
        continue;
      }
      default:
        // libbpf warns "unexpected kind %s relocated" and says no.
        return 0;
    }
  }
}

/** bpf_core_names_match: an anonymous target matches only an anonymous
 * local; otherwise the essential names must be equal. */
export function namesMatch(localName: string, targName: string): boolean {
  if (targName === '') return localName === '';
  return essentialNamesEqual(localName, targName);
}

function enumsMatch(lt: AnyBtfType, rt: AnyBtfType): number {
  if (lt.kind !== Kind.Enum && lt.kind !== Kind.Enum64) return 0;
  if (rt.kind !== Kind.Enum && rt.kind !== Kind.Enum64) return 0;
  if (lt.size !== rt.size) return 0;
  if (lt.values.length > rt.values.length) return 0;
  for (const lv of lt.values) {
    if (!rt.values.some((rv) => namesMatch(lv.name, rv.name))) return 0;
  }
  return 1;
}

function compositesMatch(localBtf: Btf, lt: AnyBtfType, targBtf: Btf, rt: AnyBtfType, behindPtr: boolean, level: number): number {
  if (!isComposite(lt) || !isComposite(rt)) return 0;
  if (lt.members.length > rt.members.length) return 0;
  for (const lm of lt.members) {
    let matched = false;
    for (const rm of rt.members) {
      if (!namesMatch(lm.name, rm.name)) continue;
      const err = typesMatchAt(localBtf, lm.type, targBtf, rm.type, behindPtr, level - 1);
      if (err < 0) return err;
      if (err > 0) {
        matched = true;
        break;
      }
    }
    if (!matched) return 0;
  }
  return 1;
}

/** __bpf_core_types_match. */
export function typesMatchAt(localBtf: Btf, localId: number, targBtf: Btf, targId: number, behindPtr: boolean, level: number): number {
  if (level <= 0) return EINVAL;
  let depth = 32;
  for (;;) {
    depth--;
    if (depth < 0) return EINVAL;
    const l = safeSkip(localBtf, localId);
    const r = safeSkip(targBtf, targId);
    if (l === undefined || r === undefined) return EINVAL;
    localId = l.id;
    targId = r.id;
    const lt = l.t;
    const rt = r.t;
    if (!namesMatch(lt?.name ?? '', rt?.name ?? '')) return 0;
    const lk = kindOf(lt);
    const rk = kindOf(rt);
    if (lt === undefined || lk === Kind.Unknown) return lk === rk ? 1 : 0;
    switch (lt.kind) {
      case Kind.Fwd: {
        const lf = lt.kflag;
        if (behindPtr) {
          if (lk === rk) return lf === rt!.kflag ? 1 : 0;
          return (rk === Kind.Struct && !lf) || (rk === Kind.Union && lf) ? 1 : 0;
        }
        if (lk !== rk) return 0;
        return lf === rt!.kflag ? 1 : 0;
      }
      case Kind.Enum:
      case Kind.Enum64:
        if (!isAnyEnum(rt)) return 0;
        return enumsMatch(lt, rt!);
      case Kind.Struct:
      case Kind.Union:
        if (behindPtr) {
          if (lk === rk) return 1;
          if (rk !== Kind.Fwd) return 0;
          return (lk === Kind.Union) === rt!.kflag ? 1 : 0;
        }
        if (lk !== rk) return 0;
        return compositesMatch(localBtf, lt, targBtf, rt!, behindPtr, level);
      case Kind.Int: {
        if (rt === undefined || rt.kind !== Kind.Int) return 0;
        return lt.size === rt.size && (lt.encoding & INT_SIGNED) === (rt.encoding & INT_SIGNED) ? 1 : 0;
      }
      case Kind.Ptr:
        if (rt === undefined || rt.kind !== Kind.Ptr) return 0;
        behindPtr = true;
        localId = lt.type;
        targId = rt.type;
        continue;
      case Kind.Array:
        if (rt === undefined || rt.kind !== Kind.Array) return 0;
        if (lt.nelems !== rt.nelems) return 0;
        localId = lt.type;
        targId = rt.type;
        continue;
      case Kind.FuncProto: {
        if (rt === undefined || rt.kind !== Kind.FuncProto) return 0;
        if (lt.params.length !== rt.params.length) return 0;
        for (let i = 0; i < lt.params.length; i++) {
          const err = typesMatchAt(localBtf, lt.params[i].type, targBtf, rt.params[i].type, behindPtr, level - 1);
          if (err <= 0) return err;
        }
        localId = lt.returnType;
        targId = rt.returnType;
        continue;
      }
      default:
        return 0;
    }
  }
}

export function typesMatch(localBtf: Btf, localId: number, targBtf: Btf, targId: number): number {
  return typesMatchAt(localBtf, localId, targBtf, targId, false, 32);
}
