/**
 * CO-RE relocation specs: the parsed form of a `.BTF.ext` core_relo record
 * (libbpf's struct bpf_core_spec), built for the local type from the access
 * string, and for a target candidate by matching (see match.ts).
 *
 * A field spec keeps two views of one access path:
 *   raw      every index of the access string ("0:1:2:3" → [0, 1, 2, 3]),
 *            including steps through anonymous struct/union members;
 *   access   only the meaningful points: the initial array index, named
 *            members, and array element accesses.
 * plus the bit offset of the accessed field from the start of the root.
 */
import { Kind, type AnyBtfType, type Btf, type ArrayType, type CompositeType, CoreReloKind, sizeOf, skipModsAndTypedefs } from '../btf/index.js';

/** libbpf's BPF_CORE_SPEC_MAX_LEN: most access-string elements. */
export const CORE_SPEC_MAX_LEN = 64;

/** libbpf's short names (core_relo_kind_str), indexed by kind number. */
export const CORE_KIND_NAMES: readonly string[] = [
  'byte_off',
  'byte_sz',
  'field_exists',
  'signed',
  'lshift_u64',
  'rshift_u64',
  'local_type_id',
  'target_type_id',
  'type_exists',
  'type_size',
  'enumval_exists',
  'enumval_value',
  'type_matches',
];

export type CoreKindName =
  | 'byte_off'
  | 'byte_sz'
  | 'field_exists'
  | 'signed'
  | 'lshift_u64'
  | 'rshift_u64'
  | 'local_type_id'
  | 'target_type_id'
  | 'type_exists'
  | 'type_size'
  | 'enumval_exists'
  | 'enumval_value'
  | 'type_matches'
  | 'unknown';

export function coreKindName(kind: number): CoreKindName {
  return (CORE_KIND_NAMES[kind] ?? 'unknown') as CoreKindName;
}

export function isFieldKind(kind: number): boolean {
  return kind >= CoreReloKind.FieldByteOffset && kind <= CoreReloKind.FieldRshiftU64;
}

export function isTypeKind(kind: number): boolean {
  return (kind >= CoreReloKind.TypeIdLocal && kind <= CoreReloKind.TypeSize) || kind === CoreReloKind.TypeMatches;
}

export function isEnumvalKind(kind: number): boolean {
  return kind === CoreReloKind.EnumvalExists || kind === CoreReloKind.EnumvalValue;
}

/** One high-level step of a spec. */
export interface CoreAccessor {
  /** The (modifier-stripped) type the step indexes into: the struct/union
   * for a named member, the element type for an array index, the enum for
   * an enumerator. */
  typeId: number;
  /** Member, element or enumerator index. */
  idx: number;
  /** Member or enumerator name; undefined for array indices. */
  name?: string;
}

export interface CoreSpec {
  btf: Btf;
  rootTypeId: number;
  kind: number;
  /** High-level accessors (libbpf's spec->spec). */
  access: CoreAccessor[];
  /** Low-level access path (libbpf's spec->raw_spec). */
  raw: number[];
  /** Bit offset of the field from the start of the root type. */
  bitOffset: number;
}

/** A spec that libbpf would refuse (bpf_core_parse_spec returning an error). */
export class SpecError extends Error {
  constructor(
    readonly errno: 'EINVAL' | 'E2BIG',
    detail: string,
  ) {
    super(detail);
    this.name = 'SpecError';
  }
}

/**
 * Length of a type or member name without its flavor suffix (libbpf's
 * bpf_core_essential_name_len): everything up to the last `X___Y` separator
 * where X and Y are not underscores. `task_struct___v2` → 11.
 */
export function essentialNameLen(name: string): number {
  for (let i = name.length - 5; i >= 0; i--) {
    if (name[i] !== '_' && name[i + 1] === '_' && name[i + 2] === '_' && name[i + 3] === '_' && name[i + 4] !== '_') return i + 1;
  }
  return name.length;
}

export function essentialName(name: string): string {
  return name.slice(0, essentialNameLen(name));
}

/**
 * Parse an access string ("0:1:2") into indices, as libbpf's sscanf loop
 * does: decimal numbers separated by single colons; it must not be empty or
 * start with a colon. Throws SpecError otherwise.
 */
export function parseAccessString(s: string): number[] {
  if (s === '' || s.startsWith(':')) throw new SpecError('EINVAL', `malformed access string '${s}'`);
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ':') i++;
    // sscanf("%d") skips white space and takes an optional sign.
    const m = /^\s*[+-]?\d+/.exec(s.slice(i));
    if (m === null) throw new SpecError('EINVAL', `malformed access string '${s}'`);
    const v = Number(m[0].trim());
    if (!Number.isSafeInteger(v) || v > 0x7fffffff || v < -0x80000000) throw new SpecError('EINVAL', `access index out of range in '${s}'`);
    if (out.length === CORE_SPEC_MAX_LEN) throw new SpecError('E2BIG', `access string '${s}' has more than ${CORE_SPEC_MAX_LEN} elements`);
    out.push(v);
    i += m[0].length;
  }
  if (out.length === 0) throw new SpecError('EINVAL', `malformed access string '${s}'`);
  return out;
}

/** The type of an id, with void (0) as undefined; SpecError for unknown ids. */
export function typeAt(btf: Btf, id: number): AnyBtfType | undefined {
  if (!btf.hasId(id)) throw new SpecError('EINVAL', `type id ${id} does not exist`);
  return btf.type(id);
}

/** Kind number of an id, 0 for void. */
export function kindAt(btf: Btf, id: number): number {
  return typeAt(btf, id)?.kind ?? Kind.Unknown;
}

/** skip_mods_and_typedefs returning the id and the type (undefined = void). */
export function skipMods(btf: Btf, id: number): { id: number; t: AnyBtfType | undefined } {
  if (!btf.hasId(id)) throw new SpecError('EINVAL', `type id ${id} does not exist`);
  let rid: number;
  try {
    rid = skipModsAndTypedefs(btf, id);
  } catch {
    throw new SpecError('EINVAL', `type [${id}]: modifier chain too deep`);
  }
  return { id: rid, t: btf.type(rid) };
}

/** btf__resolve_size, with failures as SpecError. */
export function resolveSize(btf: Btf, id: number): number {
  try {
    return sizeOf(btf, id);
  } catch (e) {
    throw new SpecError('EINVAL', `type [${id}] has no size: ${(e as Error).message}`);
  }
}

export function isComposite(t: AnyBtfType | undefined): t is CompositeType {
  return t !== undefined && (t.kind === Kind.Struct || t.kind === Kind.Union);
}

export function isAnyEnum(t: AnyBtfType | undefined): boolean {
  return t !== undefined && (t.kind === Kind.Enum || t.kind === Kind.Enum64);
}

/** vlen of a type with members/values/params, 0 otherwise. */
export function vlenOf(t: AnyBtfType | undefined): number {
  if (t === undefined) return 0;
  switch (t.kind) {
    case Kind.Struct:
    case Kind.Union:
      return t.members.length;
    case Kind.Enum:
    case Kind.Enum64:
      return t.values.length;
    case Kind.FuncProto:
      return t.params.length;
    case Kind.Datasec:
      return t.vars.length;
    default:
      return 0;
  }
}

/** libbpf's is_flex_arr: a zero-length array that is the last member of
 * the struct named by the previous accessor. */
export function isFlexArray(btf: Btf, prev: CoreAccessor | undefined, arr: ArrayType): boolean {
  if (prev === undefined || prev.name === undefined || arr.nelems > 0) return false;
  return prev.idx === vlenOf(typeAt(btf, prev.typeId)) - 1;
}

/**
 * Build the spec of a relocation record against the BTF it refers to
 * (bpf_core_parse_spec). Throws SpecError for what libbpf rejects.
 */
export function parseSpec(btf: Btf, rootTypeId: number, accessStr: string, kind: number): CoreSpec {
  if (accessStr === '' || accessStr.startsWith(':')) throw new SpecError('EINVAL', `malformed access string '${accessStr}'`);
  const spec: CoreSpec = { btf, rootTypeId, kind, access: [], raw: [], bitOffset: 0 };
  if (!btf.hasId(rootTypeId)) throw new SpecError('EINVAL', `type id ${rootTypeId} does not exist`);

  if (isTypeKind(kind)) {
    if (accessStr !== '0') throw new SpecError('EINVAL', `type-based relocation needs access string '0', not '${accessStr}'`);
    return spec;
  }
  spec.raw = parseAccessString(accessStr);

  let { id, t } = skipMods(btf, rootTypeId);
  // libbpf tests for NULL here, which skip_mods_and_typedefs returns only
  // for ids past the end; void gets through and fails below.
  let accessIdx = spec.raw[0];
  spec.access.push({ typeId: id, idx: accessIdx });

  if (isEnumvalKind(kind)) {
    if (!isAnyEnum(t) || spec.raw.length > 1 || accessIdx < 0 || accessIdx >= vlenOf(t)) {
      throw new SpecError('EINVAL', `enumerator access '${accessStr}' does not name a value of an enum`);
    }
    const e = t as Extract<AnyBtfType, { kind: Kind.Enum | Kind.Enum64 }>;
    spec.access[0].name = e.values[accessIdx].name;
    return spec;
  }
  if (!isFieldKind(kind)) throw new SpecError('EINVAL', `unknown relocation kind ${kind}`);

  spec.bitOffset = accessIdx * resolveSize(btf, id) * 8;
  for (let i = 1; i < spec.raw.length; i++) {
    ({ id, t } = skipMods(btf, id));
    accessIdx = spec.raw[i];
    if (isComposite(t)) {
      if (accessIdx < 0 || accessIdx >= t.members.length) {
        throw new SpecError('EINVAL', `member index ${accessIdx} (at idx ${i}) is out of range for [${id}], which has ${t.members.length} members`);
      }
      const m = t.members[accessIdx];
      spec.bitOffset += m.bitsOffset;
      if (m.name !== '') {
        spec.access.push({ typeId: id, idx: accessIdx, name: m.name });
      }
      id = m.type;
    } else if (t !== undefined && t.kind === Kind.Array) {
      const arr = t;
      ({ id, t } = skipMods(btf, arr.type));
      const flex = isFlexArray(btf, spec.access[spec.access.length - 1], arr);
      if (!flex && (accessIdx < 0 || accessIdx >= arr.nelems)) {
        throw new SpecError('EINVAL', `array index ${accessIdx} (at idx ${i}) is out of range for [${arr.id}], which has ${arr.nelems} elements`);
      }
      spec.access.push({ typeId: id, idx: accessIdx });
      spec.bitOffset += accessIdx * resolveSize(btf, id) * 8;
    } else {
      throw new SpecError('EINVAL', `relo for [${rootTypeId}] ${accessStr} (at idx ${i}) captures type [${id}] of unexpected kind ${kindStr(t)}`);
    }
  }
  return spec;
}

/** libbpf's btf_kind_str. */
export function kindStr(t: AnyBtfType | undefined): string {
  return KIND_STRS[t?.kind ?? 0] ?? 'unknown';
}

const KIND_STRS: readonly string[] = [
  'void',
  'int',
  'ptr',
  'array',
  'struct',
  'union',
  'enum',
  'fwd',
  'typedef',
  'volatile',
  'const',
  'restrict',
  'func',
  'func_proto',
  'var',
  'datasec',
  'float',
  'decl_tag',
  'type_tag',
  'enum64',
];

/**
 * A spec in libbpf's notation (bpf_core_format_spec):
 *   `<byte_off> [23] struct task_struct.real_parent (0:95 @ offset 1280)`
 *   `<enumval_value> [7] enum pid_type::PIDTYPE_TGID = 1`
 *   `<type_exists> [9] struct foo`
 */
export function formatSpec(spec: CoreSpec): string {
  const btf = spec.btf;
  const root = btf.type(spec.rootTypeId);
  const rootName = root?.name ?? '';
  let s = `<${coreKindName(spec.kind)}> [${spec.rootTypeId}] ${kindStr(root)} ${rootName === '' ? '<anon>' : rootName}`;
  if (isTypeKind(spec.kind)) return s;
  if (isEnumvalKind(spec.kind)) {
    const t = skipMods(btf, spec.rootTypeId).t;
    if (t === undefined || (t.kind !== Kind.Enum && t.kind !== Kind.Enum64)) return s;
    const v = t.values[spec.raw[0]];
    if (v === undefined) return s;
    if (t.kind === Kind.Enum) {
      const n = v.value as number;
      const val = t.kflag ? n | 0 : n >>> 0;
      return s + `::${v.name} = ${val}`;
    }
    const val = t.kflag ? BigInt.asIntN(64, v.value as bigint) : BigInt.asUintN(64, v.value as bigint);
    return s + `::${v.name} = ${val}`;
  }
  if (isFieldKind(spec.kind)) {
    spec.access.forEach((a, i) => {
      if (a.name !== undefined) s += `.${a.name}`;
      else if (i > 0 || a.idx > 0) s += `[${a.idx >>> 0}]`;
    });
    s += ` (${spec.raw.join(':')}`;
    const off = spec.bitOffset >>> 0;
    s += off % 8 !== 0 ? ` @ offset ${Math.floor(off / 8)}.${off % 8})` : ` @ offset ${off / 8})`;
  }
  return s;
}
