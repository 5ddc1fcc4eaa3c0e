import { Kind } from '../kinds.js';
import type { BtfType, CompositeType } from '../types.js';
import { infoOf, intWord, memberOffsetWord, sizeOrTypeOf, type ViewType } from './types-view.js';

/**
 * Table keys and equality checks, one per libbpf hash/equal pair. Names are
 * compared as strings: after the string pass equal offsets mean equal
 * strings and vice versa. NUL separates fields because names cannot hold it.
 */
const S = '\0';

/** name, info and the size/type word (btf_hash_common / btf_equal_common). */
export function commonKey(t: ViewType): string {
  return `${infoOf(t)}${S}${sizeOrTypeOf(t)}${S}${t.name}`;
}

export function equalCommon(a: ViewType, b: ViewType): boolean {
  return a.name === b.name && infoOf(a) === infoOf(b) && sizeOrTypeOf(a) === sizeOrTypeOf(b);
}

/** INT and DECL_TAG: common fields plus the one data word. */
export function intTagKey(t: BtfType): string {
  return `${commonKey(t)}${S}${dataWord(t)}`;
}

function dataWord(t: ViewType): number {
  if (t.kind === Kind.Int) return intWord(t);
  if (t.kind === Kind.DeclTag) return t.componentIdx;
  return 0;
}

export function equalIntTag(a: ViewType, b: ViewType): boolean {
  return equalCommon(a, b) && dataWord(a) === dataWord(b);
}

/** ENUM/ENUM64 hash without vlen and enumerators, so that a forward
 * declaration meets its definition (libbpf 1.1 keeps kind, kind_flag and
 * size in the hash). */
export function enumKey(t: BtfType): string {
  return `E${S}${t.kind}${S}${t.kflag ? 1 : 0}${S}${sizeOrTypeOf(t)}${S}${t.name}`;
}

export function isEnumFwd(t: ViewType): boolean {
  return (t.kind === Kind.Enum || t.kind === Kind.Enum64) && t.values.length === 0;
}

export function equalEnum(a: ViewType, b: ViewType): boolean {
  if (!equalCommon(a, b)) return false;
  if (a.kind === Kind.Enum && b.kind === Kind.Enum) {
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      if (x.name !== y.name || x.value >>> 0 !== y.value >>> 0) return false;
    }
    return true;
  }
  if (a.kind === Kind.Enum64 && b.kind === Kind.Enum64) {
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i];
      const y = b.values[i];
      if (x.name !== y.name || BigInt.asUintN(64, x.value) !== BigInt.asUintN(64, y.value)) return false;
    }
    return true;
  }
  return false;
}

/** libbpf 1.1's btf_compat_enum: equal, or (when either side is a forward
 * declaration) same name, kind, kind_flag and size; vlen is ignored. */
export function compatEnum(a: ViewType, b: ViewType): boolean {
  if (!isEnumFwd(a) && !isEnumFwd(b)) return equalEnum(a, b);
  return (
    a.name === b.name &&
    a.kind === b.kind &&
    (a.kind === Kind.Enum || a.kind === Kind.Enum64) &&
    (b.kind === Kind.Enum || b.kind === Kind.Enum64) &&
    a.kflag === b.kflag &&
    a.size === b.size
  );
}

/** btf_hash_struct: common fields and member names and offsets, not types. */
export function structKey(t: CompositeType): string {
  let k = `S${S}${commonKey(t)}`;
  for (let i = 0; i < t.members.length; i++) k += `${S}${t.members[i].name}${S}${memberOffsetWord(t, i)}`;
  return k;
}

export function shallowEqualStruct(a: ViewType, b: ViewType): boolean {
  if (!equalCommon(a, b)) return false;
  if ((a.kind !== Kind.Struct && a.kind !== Kind.Union) || (b.kind !== Kind.Struct && b.kind !== Kind.Union)) return false;
  for (let i = 0; i < a.members.length; i++) {
    if (a.members[i].name !== b.members[i].name || memberOffsetWord(a, i) !== memberOffsetWord(b, i)) return false;
  }
  return true;
}

export function arrayKey(t: BtfType): string {
  if (t.kind !== Kind.Array) return commonKey(t);
  return `${commonKey(t)}${S}${t.type}${S}${t.indexType}${S}${t.nelems}`;
}

/** Common fields and element count (element and index types compared by
 * the caller). */
export function compatArray(a: ViewType, b: ViewType): boolean {
  return a.kind === Kind.Array && b.kind === Kind.Array && equalCommon(a, b) && a.nelems === b.nelems;
}

export function equalArray(a: ViewType, b: ViewType): boolean {
  return compatArray(a, b) && a.kind === Kind.Array && b.kind === Kind.Array && a.type === b.type && a.indexType === b.indexType;
}

export function fnProtoKey(t: BtfType): string {
  if (t.kind !== Kind.FuncProto) return commonKey(t);
  let k = commonKey(t);
  for (const p of t.params) k += `${S}${p.name}${S}${p.type}`;
  return k;
}

/** Name, info and parameter names; return and parameter types are compared
 * by the caller. */
export function compatFnProto(a: ViewType, b: ViewType): boolean {
  if (a.kind !== Kind.FuncProto || b.kind !== Kind.FuncProto) return false;
  if (a.name !== b.name || infoOf(a) !== infoOf(b)) return false;
  for (let i = 0; i < a.params.length; i++) if (a.params[i].name !== b.params[i].name) return false;
  return true;
}

export function equalFnProto(a: ViewType, b: ViewType): boolean {
  if (!equalCommon(a, b) || a.kind !== Kind.FuncProto || b.kind !== Kind.FuncProto) return false;
  for (let i = 0; i < a.params.length; i++) {
    if (a.params[i].name !== b.params[i].name || a.params[i].type !== b.params[i].type) return false;
  }
  return true;
}
