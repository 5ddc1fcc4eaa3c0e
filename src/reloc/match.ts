/**
 * Candidate search and spec matching (libbpf's bpf_core_add_cands,
 * bpf_core_spec_match, bpf_core_match_member).
 */
import { Kind, type Btf } from '../btf/index.js';
import { fieldsAreCompat, kindsCoreCompat, typesAreCompat, typesMatch } from './compat.js';
import {
  CORE_SPEC_MAX_LEN,
  type CoreAccessor,
  type CoreSpec,
  essentialNameLen,
  isComposite,
  isEnumvalKind,
  isFieldKind,
  isFlexArray,
  isTypeKind,
  resolveSize,
  SpecError,
  skipMods,
  typeAt,
} from './spec.js';
import { CoreReloKind } from '../btf/index.js';

export interface Candidate {
  btf: Btf;
  id: number;
}

/**
 * Target types that may correspond to a local type: same kind (ENUM and
 * ENUM64 count as one), non-empty name, same essential name. The local type
 * is taken as is (a typedef finds typedefs). Throws SpecError for an
 * anonymous local type, which libbpf cannot search for.
 */
export function findCandidates(localBtf: Btf, localId: number, target: Btf): Candidate[] {
  const lt = typeAt(localBtf, localId);
  const name = lt?.name ?? '';
  if (name === '') throw new SpecError('EINVAL', `[${localId}] is anonymous: no candidate search`);
  const len = essentialNameLen(name);
  const ess = name.slice(0, len);
  const lk = lt?.kind ?? Kind.Unknown;
  const out: Candidate[] = [];
  for (let id = 1; id < target.typeCount; id++) {
    const t = target.type(id)!;
    if (!kindsCoreCompat(t.kind, lk)) continue;
    if (t.name === '' || !t.name.startsWith(ess)) continue;
    if (essentialNameLen(t.name) !== len) continue;
    out.push({ btf: target, id });
  }
  return out;
}

/** Fast path over the name index: equivalent to findCandidates but only
 * looks at names that start with the essential name. */
export function findCandidatesIndexed(localBtf: Btf, localId: number, target: Btf, names: Map<string, number[]>): Candidate[] {
  const lt = typeAt(localBtf, localId);
  const name = lt?.name ?? '';
  if (name === '') throw new SpecError('EINVAL', `[${localId}] is anonymous: no candidate search`);
  const ess = name.slice(0, essentialNameLen(name));
  const lk = lt?.kind ?? Kind.Unknown;
  const ids = names.get(ess) ?? [];
  return ids.filter((id) => kindsCoreCompat(target.type(id)!.kind, lk)).map((id) => ({ btf: target, id }));
}

const nameIndexes = new WeakMap<Btf, Map<string, number[]>>();

/** Map essential name → ids in id order, for findCandidatesIndexed; built
 * once per target BTF (a matrix or a batch relocates many objects against
 * the same kernel). */
export function essentialNameIndex(target: Btf): Map<string, number[]> {
  let m = nameIndexes.get(target);
  if (m === undefined) {
    m = buildEssentialNameIndex(target);
    nameIndexes.set(target, m);
  }
  return m;
}

function buildEssentialNameIndex(target: Btf): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (let id = 1; id < target.typeCount; id++) {
    const nm = target.nameOfId(id);
    if (nm === '') continue;
    const e = nm.slice(0, essentialNameLen(nm));
    const l = m.get(e);
    if (l === undefined) m.set(e, [id]);
    else l.push(id);
  }
  return m;
}

/**
 * Find the target member for a named local member, searching anonymous
 * struct/union members depth-first; extends `spec` (raw path, bit offset,
 * and on success the accessor). Returns 1 found and compatible, 0 not
 * found or incompatible, <0 error; `next.id` is the member's type.
 */
function matchMember(localBtf: Btf, localAcc: CoreAccessor, targBtf: Btf, targId: number, spec: CoreSpec, next: { id: number }): number {
  const { id: tid, t } = skipMods(targBtf, targId);
  if (!isComposite(t)) return 0;
  const lt = typeAt(localBtf, localAcc.typeId);
  if (!isComposite(lt)) return -22;
  const lm = lt.members[localAcc.idx];
  for (let i = 0; i < t.members.length; i++) {
    const m = t.members[i];
    if (spec.raw.length === CORE_SPEC_MAX_LEN) return -7; // E2BIG
    spec.bitOffset += m.bitsOffset;
    spec.raw.push(i);
    if (m.name === '') {
      const found = matchMember(localBtf, localAcc, targBtf, m.type, spec, next);
      if (found !== 0) return found;
    } else if (m.name === lm.name) {
      spec.access.push({ typeId: tid, idx: i, name: m.name });
      next.id = m.type;
      const found = fieldsAreCompat(localBtf, lm.type, targBtf, m.type);
      if (found === 0) spec.access.pop();
      return found;
    }
    spec.bitOffset -= m.bitsOffset;
    spec.raw.pop();
  }
  return 0;
}

/**
 * Match a local spec against one candidate (bpf_core_spec_match). Returns
 * the result code (1 match, 0 no match, <0 error) and the target spec built
 * so far (complete when 1).
 */
export function matchSpec(local: CoreSpec, targBtf: Btf, candId: number): { code: number; spec: CoreSpec } {
  const spec: CoreSpec = { btf: targBtf, rootTypeId: candId, kind: local.kind, access: [], raw: [], bitOffset: 0 };
  try {
    return { code: matchSpecInner(local, targBtf, candId, spec), spec };
  } catch (e) {
    if (e instanceof SpecError) return { code: -22, spec };
    throw e;
  }
}

function matchSpecInner(local: CoreSpec, targBtf: Btf, candId: number, spec: CoreSpec): number {
  if (isTypeKind(local.kind)) {
    if (local.kind === CoreReloKind.TypeMatches) return typesMatch(local.btf, local.rootTypeId, targBtf, candId);
    return typesAreCompat(local.btf, local.rootTypeId, targBtf, candId);
  }
  let targId = candId;
  if (isEnumvalKind(local.kind)) {
    const { id, t } = skipMods(targBtf, targId);
    if (t === undefined || (t.kind !== Kind.Enum && t.kind !== Kind.Enum64)) return 0;
    const lname = local.access[0].name ?? '';
    const llen = essentialNameLen(lname);
    for (let i = 0; i < t.values.length; i++) {
      const nm = t.values[i].name;
      if (essentialNameLen(nm) !== llen) continue;
      if (nm.slice(0, llen) === lname.slice(0, llen)) {
        spec.access.push({ typeId: id, idx: i, name: nm });
        spec.raw.push(i);
        return 1;
      }
    }
    return 0;
  }
  if (!isFieldKind(local.kind)) return -22;

  for (let i = 0; i < local.access.length; i++) {
    const la = local.access[i];
    const s = skipMods(targBtf, targId);
    targId = s.id;
    const tt = s.t;
    if (la.name !== undefined) {
      const next = { id: targId };
      const matched = matchMember(local.btf, la, targBtf, targId, spec, next);
      if (matched <= 0) return matched;
      targId = next.id;
    } else {
      if (i > 0) {
        if (tt === undefined || tt.kind !== Kind.Array) return 0;
        const flex = isFlexArray(targBtf, spec.access[spec.access.length - 1], tt);
        if (!flex && la.idx >= tt.nelems) return 0;
        targId = skipMods(targBtf, tt.type).id;
      }
      if (spec.raw.length === CORE_SPEC_MAX_LEN) return -7;
      spec.access.push({ typeId: targId, idx: la.idx });
      spec.raw.push(la.idx);
      spec.bitOffset += la.idx * resolveSize(targBtf, targId) * 8;
    }
  }
  return 1;
}
