import { Kind } from '../kinds.js';
import type { BtfType, CompositeType } from '../types.js';
import { infoOf, intWord, memberOffsetWord, sizeOrTypeOf, type ViewType } from './types-view.js';

/**
 * Table keys and equality checks, one per libbpf hash/equal pair. Keys are
 * 32-bit hashes of exactly the fields libbpf hashes (so every pair its
 * equality checks could accept shares a key); unequal types that collide
 * are told apart by the equality checks, as in libbpf. Names are compared
 * as strings (after the string pass equal offsets mean equal strings) and
 * hashed through a per-run name numbering.
 */
export type NameId = (s: string) => number;

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x01000193);
  return (h ^ (h >>> 15)) | 0;
}

/** name, info and the size/type word (btf_hash_common / btf_equal_common). */
export function commonKey(t: ViewType, nid: NameId, seed = 1): number {
  return mix(mix(mix(seed, nid(t.name)), infoOf(t)), sizeOrTypeOf(t));
}

export function equalCommon(a: ViewType, b: ViewType): boolean {
  return a.name === b.name && infoOf(a) === infoOf(b) && sizeOrTypeOf(a) === sizeOrTypeOf(b);
}

/** INT and DECL_TAG: common fields plus the one data word. */
export function intTagKey(t: BtfType, nid: NameId): number {
  return mix(commonKey(t, nid, 2), dataWord(t));
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
export function enumKey(t: BtfType, nid: NameId): number {
  return mix(mix(mix(mix(3, nid(t.name)), t.kind), t.kflag ? 1 : 0), sizeOrTypeOf(t));
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
export function structKey(t: CompositeType, nid: NameId): number {
  let k = commonKey(t, nid, 4);
  for (let i = 0; i < t.members.length; i++) k = mix(mix(k, nid(t.members[i].name)), memberOffsetWord(t, i));
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

export function arrayKey(t: BtfType, nid: NameId): number {
  if (t.kind !== Kind.Array) return commonKey(t, nid);
  return mix(mix(mix(commonKey(t, nid, 5), t.type), t.indexType), t.nelems);
}

/** Common fields and element count (element and index types compared by
 * the caller). */
export function compatArray(a: ViewType, b: ViewType): boolean {
  return a.kind === Kind.Array && b.kind === Kind.Array && equalCommon(a, b) && a.nelems === b.nelems;
}

export function equalArray(a: ViewType, b: ViewType): boolean {
  return compatArray(a, b) && a.kind === Kind.Array && b.kind === Kind.Array && a.type === b.type && a.indexType === b.indexType;
}

export function fnProtoKey(t: BtfType, nid: NameId): number {
  if (t.kind !== Kind.FuncProto) return commonKey(t, nid);
  let k = commonKey(t, nid, 6);
  for (const p of t.params) k = mix(mix(k, nid(p.name)), p.type);
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
