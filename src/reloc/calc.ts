/**
 * Relocation values (libbpf's bpf_core_calc_field_relo, _type_relo,
 * _enumval_relo, bpf_core_calc_relo) and the per-relocation driver
 * (bpf_core_calc_relo_insn): parse the local spec, match every candidate,
 * require all matching candidates to agree.
 */
import { INT_SIGNED, Kind, type Btf, CoreReloKind } from '../btf/index.js';
import { type Candidate, matchSpec } from './match.js';
import {
  type CoreSpec,
  coreKindName,
  formatSpec,
  isEnumvalKind,
  isFieldKind,
  isTypeKind,
  kindStr,
  parseSpec,
  resolveSize,
  SpecError,
  skipMods,
  typeAt,
} from './spec.js';

/** A relocation libbpf refuses; `detail` follows libbpf's log wording. */
export class ReloError extends Error {
  /** The local spec, when parsing got that far. */
  local?: CoreSpec;
  constructor(detail: string) {
    super(detail);
    this.name = 'ReloError';
  }
}

export interface ReloRes {
  /** Value the compiler put in the instruction (from the local spec). */
  origVal: bigint;
  /** Value for the target. */
  newVal: bigint;
  poison: boolean;
  /** Whether the instruction must hold origVal before patching. */
  validate: boolean;
  /** A load/store whose memory size would have to change in a way that
   * changes the value read: poisoned when the instruction is LDX/ST/STX. */
  failMemszAdjust: boolean;
  origSz: number;
  newSz: number;
  origTypeId: number;
  newTypeId: number;
}

interface FieldOut {
  val: bigint;
  fieldSz: number;
  typeId: number;
  validate: boolean;
}

/** bpf_core_calc_field_relo for one spec; `undefined` spec = not found. */
function calcFieldRelo(kind: number, insnIdx: number, spec: CoreSpec | undefined, littleEndian: boolean): FieldOut | 'poison' {
  const out: FieldOut = { val: 0n, fieldSz: 0, typeId: 0, validate: true };
  if (kind === CoreReloKind.FieldExists) {
    out.val = spec !== undefined ? 1n : 0n;
    return out;
  }
  if (spec === undefined) return 'poison';
  const acc = spec.access[spec.access.length - 1];
  const btf = spec.btf;
  if (acc.name === undefined) {
    // a[n]: only the offset and size make sense
    if (kind === CoreReloKind.FieldByteOffset) {
      out.val = BigInt(Math.floor(spec.bitOffset / 8));
      out.fieldSz = resolveSize(btf, acc.typeId);
      out.typeId = acc.typeId;
    } else if (kind === CoreReloKind.FieldByteSize) {
      out.val = BigInt(resolveSize(btf, acc.typeId));
    } else {
      throw new ReloError(`relo ${kind} at insn #${insnIdx} can't be applied to array access`);
    }
    out.validate = true;
    return out;
  }
  const t = typeAt(btf, acc.typeId);
  if (t === undefined || (t.kind !== Kind.Struct && t.kind !== Kind.Union)) throw new ReloError(`accessor type [${acc.typeId}] is not a struct or union`);
  const m = t.members[acc.idx];
  const { id: fieldTypeId, t: mt } = skipMods(btf, m.type);
  const bitOff = spec.bitOffset;
  let bitSz = m.bitfieldSize;
  const bitfield = bitSz > 0;
  let byteSz: number;
  let byteOff: number;
  if (bitfield) {
    if (mt === undefined || !('size' in mt) || typeof mt.size !== 'number' || mt.size === 0) {
      throw new ReloError(`bitfield member ${m.name} has a type without size`);
    }
    byteSz = mt.size;
    byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
      if (byteSz >= 8) throw new ReloError(`relo ${kind} at insn #${insnIdx} can't be satisfied for bitfield`);
      byteSz *= 2;
      byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    }
  } else {
    byteSz = resolveSize(btf, fieldTypeId);
    byteOff = Math.floor(bitOff / 8);
    bitSz = byteSz * 8;
  }
  // bitfield results are ambiguous (the compiler may have chosen another
  // load width), so only signedness and the right shift are checked
  out.validate = !bitfield;
  switch (kind) {
    case CoreReloKind.FieldByteOffset:
      out.val = BigInt(byteOff);
      if (!bitfield) {
        out.fieldSz = byteSz;
        out.typeId = fieldTypeId;
      }
      break;
    case CoreReloKind.FieldByteSize:
      out.val = BigInt(byteSz);
      break;
    case CoreReloKind.FieldSigned: {
      const signed =
        ((mt?.kind === Kind.Enum || mt?.kind === Kind.Enum64) && mt.kflag) || (mt?.kind === Kind.Int && (mt.encoding & INT_SIGNED) !== 0);
      out.val = signed ? 1n : 0n;
      out.validate = true;
      break;
    }
    case CoreReloKind.FieldLshiftU64:
      out.val = BigInt.asUintN(64, BigInt(littleEndian ? 64 - (bitOff + bitSz - byteOff * 8) : (8 - byteSz) * 8 + (bitOff - byteOff * 8)));
      break;
    case CoreReloKind.FieldRshiftU64:
      out.val = BigInt.asUintN(64, BigInt(64 - bitSz));
      out.validate = true;
      break;
    default:
      throw new ReloError(`unrecognized CO-RE relocation ${coreKindName(kind)} (${kind}) at insn #${insnIdx}`);
  }
  return out;
}

function calcTypeRelo(kind: number, spec: CoreSpec | undefined): { val: bigint; validate: boolean } {
  if (spec === undefined) return { val: 0n, validate: true };
  switch (kind) {
    case CoreReloKind.TypeIdTarget:
      // ids change during linking: never validated
      return { val: BigInt(spec.rootTypeId), validate: false };
    case CoreReloKind.TypeExists:
    case CoreReloKind.TypeMatches:
      return { val: 1n, validate: true };
    case CoreReloKind.TypeSize:
      return { val: BigInt(resolveSize(spec.btf, spec.rootTypeId)), validate: true };
    default:
      throw new ReloError(`unrecognized CO-RE relocation ${coreKindName(kind)} (${kind})`);
  }
}

function calcEnumvalRelo(kind: number, spec: CoreSpec | undefined): bigint | 'poison' {
  if (kind === CoreReloKind.EnumvalExists) return spec !== undefined ? 1n : 0n;
  if (spec === undefined) return 'poison';
  const acc = spec.access[0];
  const t = typeAt(spec.btf, acc.typeId);
  if (t?.kind === Kind.Enum) return BigInt.asUintN(64, BigInt(t.values[acc.idx].value | 0)); // s32 widened like libbpf
  if (t?.kind === Kind.Enum64) return BigInt.asUintN(64, t.values[acc.idx].value);
  throw new ReloError(`enumerator accessor type [${acc.typeId}] is not an enum`);
}

/** bpf_core_calc_relo: values from the local spec and one target spec
 * (undefined when nothing matched). */
export function calcRelo(kind: number, insnIdx: number, local: CoreSpec, targ: CoreSpec | undefined, littleEndian: boolean): ReloRes {
  const res: ReloRes = {
    origVal: 0n,
    newVal: 0n,
    poison: false,
    validate: true,
    failMemszAdjust: false,
    origSz: 0,
    newSz: 0,
    origTypeId: 0,
    newTypeId: 0,
  };
  try {
    if (isFieldKind(kind)) {
      const o = calcFieldRelo(kind, insnIdx, local, littleEndian);
      if (o === 'poison') {
        res.poison = true;
        return res;
      }
      res.origVal = o.val;
      res.origSz = o.fieldSz;
      res.origTypeId = o.typeId;
      res.validate = o.validate;
      const n = calcFieldRelo(kind, insnIdx, targ, littleEndian);
      if (n === 'poison') {
        res.poison = true;
        return res;
      }
      res.newVal = n.val;
      res.newSz = n.fieldSz;
      res.newTypeId = n.typeId;
      if (res.origSz !== res.newSz) {
        const ot = local.btf.type(res.origTypeId);
        const nt = targ!.btf.type(res.newTypeId);
        const bothPtr = ot?.kind === Kind.Ptr && nt?.kind === Kind.Ptr;
        // libbpf compares the whole encoding with BTF_INT_SIGNED
        const bothUnsigned = ot?.kind === Kind.Int && nt?.kind === Kind.Int && ot.encoding !== INT_SIGNED && nt.encoding !== INT_SIGNED;
        if (!bothPtr && !bothUnsigned) res.failMemszAdjust = true;
      }
    } else if (isTypeKind(kind)) {
      const o = calcTypeRelo(kind, local);
      res.origVal = o.val;
      res.validate = o.validate;
      res.newVal = calcTypeRelo(kind, targ).val;
    } else if (isEnumvalKind(kind)) {
      const o = calcEnumvalRelo(kind, local);
      if (o === 'poison') {
        res.poison = true;
        return res;
      }
      res.origVal = o;
      const n = calcEnumvalRelo(kind, targ);
      if (n === 'poison') {
        res.poison = true;
        return res;
      }
      res.newVal = n;
    } else {
      throw new ReloError(`unrecognized CO-RE relocation ${coreKindName(kind)} (${kind}) at insn #${insnIdx}`);
    }
  } catch (e) {
    if (e instanceof SpecError) throw new ReloError(e.message);
    throw e;
  }
  return res;
}

export interface ResolvedRelo {
  local: CoreSpec;
  /** The first matching candidate's spec, if any. */
  targ: CoreSpec | undefined;
  res: ReloRes;
  /** Candidates tried and matching (for reports). */
  candidates: number;
  matching: Candidate[];
}

/**
 * bpf_core_calc_relo_insn. `cands` is the candidate list for the local
 * root type; like libbpf, it is pruned to the matching candidates when at
 * least one matches (the list is shared by later relocations of the same
 * local type). Throws ReloError for what libbpf refuses.
 */
export function resolveRelo(
  localBtf: Btf,
  typeId: number,
  accessStr: string,
  kind: number,
  insnIdx: number,
  cands: Candidate[] | undefined,
  littleEndian: boolean,
): ResolvedRelo {
  let localType;
  try {
    localType = typeAt(localBtf, typeId);
  } catch {
    throw new ReloError(`type id ${typeId} does not exist (last is ${localBtf.typeCount - 1})`);
  }
  const localName = localType?.name ?? '';
  let local: CoreSpec;
  try {
    local = parseSpec(localBtf, typeId, accessStr, kind);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    throw new ReloError(
      `parsing [${typeId}] ${kindStr(localType)} ${localName === '' ? '<anon>' : localName} + ${accessStr} failed: ${e.errno === 'E2BIG' ? -7 : -22} (${e.message})`,
    );
  }
  try {
    return resolveParsed(local, localName, kind, insnIdx, cands, littleEndian);
  } catch (e) {
    if (e instanceof ReloError) e.local ??= local;
    throw e;
  }
}

function resolveParsed(
  local: CoreSpec,
  localName: string,
  kind: number,
  insnIdx: number,
  cands: Candidate[] | undefined,
  littleEndian: boolean,
): ResolvedRelo {
  if (kind === CoreReloKind.TypeIdLocal) {
    // no candidate search; ids may change in linking, so never validated
    const id = BigInt(local.rootTypeId);
    const res: ReloRes = {
      origVal: id,
      newVal: id,
      poison: false,
      validate: false,
      failMemszAdjust: false,
      origSz: 0,
      newSz: 0,
      origTypeId: 0,
      newTypeId: 0,
    };
    return { local, targ: undefined, res, candidates: 0, matching: [] };
  }
  if (localName === '') throw new ReloError(`<${coreKindName(kind)}> (${kind}) relocation doesn't support anonymous types`);
  if (cands === undefined) throw new ReloError('no candidate list');

  let targ: CoreSpec | undefined;
  let targRes: ReloRes | undefined;
  const matching: Candidate[] = [];
  for (let i = 0; i < cands.length; i++) {
    const c = cands[i];
    const m = matchSpec(local, c.btf, c.id);
    if (m.code < 0) throw new ReloError(`error matching candidate #${i} ${formatSpec(m.spec)}: ${m.code}`);
    if (m.code === 0) continue;
    const r = calcRelo(kind, insnIdx, local, m.spec, littleEndian);
    if (targRes === undefined) {
      targRes = r;
      targ = m.spec;
    } else if (m.spec.bitOffset !== targ!.bitOffset) {
      throw new ReloError(`field offset ambiguity: ${m.spec.bitOffset >>> 0} != ${targ!.bitOffset >>> 0}`);
    } else if (r.poison !== targRes.poison || r.newVal !== targRes.newVal) {
      throw new ReloError(
        `relocation decision ambiguity: ${r.poison ? 'failure' : 'success'} ${r.newVal} != ${targRes.poison ? 'failure' : 'success'} ${targRes.newVal}`,
      );
    }
    matching.push(c);
  }
  const tried = cands.length;
  if (matching.length > 0) cands.splice(0, cands.length, ...matching);
  else targRes = calcRelo(kind, insnIdx, local, undefined, littleEndian);
  return { local, targ, res: targRes!, candidates: tried, matching };
}
