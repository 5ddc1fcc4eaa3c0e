import { Kind } from '../kinds.js';
import { isComposite, type DedupRecords } from './records.js';

/**
 * Table keys and equality checks, one per libbpf hash/equal pair, on the
 * records' words. Keys are 32-bit hashes of exactly the fields libbpf
 * hashes (so every pair its equality checks could accept shares a key);
 * unequal types that collide are told apart by the equality checks, as in
 * libbpf. Names are string numbers (equal numbers are equal strings), so
 * after the string pass they compare as libbpf's offsets do.
 */
function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x01000193);
  // 30 bits: V8 keeps such numbers unboxed (a small integer), so keys
  // allocate nothing and the table's Map hashes them cheaply.
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

/** name, info and the size/type word (btf_hash_common / btf_equal_common).
 * (mix written out: this runs for every type, mostly before V8 optimises.) */
export function commonKey(r: DedupRecords, id: number, seed = 1): number {
  const w = r.words;
  const o = r.off[id];
  let h = Math.imul(seed ^ w[o], 0x01000193);
  h = (h ^ (h >>> 15)) & 0x3fffffff;
  h = Math.imul(h ^ w[o + 1], 0x01000193);
  h = (h ^ (h >>> 15)) & 0x3fffffff;
  h = Math.imul(h ^ w[o + 2], 0x01000193);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}

export function equalCommon(r: DedupRecords, a: number, b: number): boolean {
  const w = r.words;
  const x = r.off[a];
  const y = r.off[b];
  return w[x] === w[y] && w[x + 1] === w[y + 1] && w[x + 2] === w[y + 2];
}

/** INT and DECL_TAG: common fields plus the one data word. */
export function intTagKey(r: DedupRecords, id: number): number {
  return mix(commonKey(r, id, 2), dataWord(r, id));
}

function dataWord(r: DedupRecords, id: number): number {
  const k = r.kind(id);
  return k === Kind.Int || k === Kind.DeclTag ? r.words[r.off[id] + 3] : 0;
}

export function equalIntTag(r: DedupRecords, a: number, b: number): boolean {
  return equalCommon(r, a, b) && dataWord(r, a) === dataWord(r, b);
}

/** ENUM/ENUM64 hash without vlen and enumerators, so that a forward
 * declaration meets its definition (libbpf 1.1 keeps kind, kind_flag and
 * size in the hash). */
export function enumKey(r: DedupRecords, id: number): number {
  return mix(mix(mix(mix(3, r.name(id)), r.kind(id)), r.kflag(id) ? 1 : 0), r.sot(id));
}

function isEnumKind(k: number): boolean {
  return k === Kind.Enum || k === Kind.Enum64;
}

export function isEnumFwd(r: DedupRecords, id: number): boolean {
  return isEnumKind(r.kind(id)) && r.vlen(id) === 0;
}

/** Same header and enumerators (names and values as stored). */
export function equalEnum(r: DedupRecords, a: number, b: number): boolean {
  if (!equalCommon(r, a, b) || !isEnumKind(r.kind(a))) return false;
  // Equal info words: same kind and count, so the records have one length.
  return sameWords(r, a, b, 3, (r.kind(a) === Kind.Enum ? 2 : 3) * r.vlen(a));
}

/** libbpf 1.1's btf_compat_enum: equal, or (when either side is a forward
 * declaration) same name, kind, kind_flag and size; vlen is ignored. */
export function compatEnum(r: DedupRecords, a: number, b: number): boolean {
  if (!isEnumFwd(r, a) && !isEnumFwd(r, b)) return equalEnum(r, a, b);
  const k = r.kind(a);
  return r.name(a) === r.name(b) && k === r.kind(b) && isEnumKind(k) && r.kflag(a) === r.kflag(b) && r.sot(a) === r.sot(b);
}

/** btf_hash_struct: common fields and member names and offsets, not types. */
export function structKey(r: DedupRecords, id: number): number {
  let k = commonKey(r, id, 4);
  const w = r.words;
  const o = r.off[id];
  for (let m = o + 3, end = m + 3 * r.vlen(id); m < end; m += 3) {
    // mix(mix(k, name), offset), written out.
    k = Math.imul(k ^ w[m], 0x01000193);
    k = (k ^ (k >>> 15)) & 0x3fffffff;
    k = Math.imul(k ^ w[m + 2], 0x01000193);
    k = (k ^ (k >>> 15)) & 0x3fffffff;
  }
  return k;
}

export function shallowEqualStruct(r: DedupRecords, a: number, b: number): boolean {
  if (!equalCommon(r, a, b) || !isComposite(r.kind(a))) return false;
  const w = r.words;
  const x = r.off[a];
  const y = r.off[b];
  for (let m = 3, end = 3 + 3 * r.vlen(a); m < end; m += 3) {
    if (w[x + m] !== w[y + m] || w[x + m + 2] !== w[y + m + 2]) return false;
  }
  return true;
}

export function arrayKey(r: DedupRecords, id: number): number {
  if (r.kind(id) !== Kind.Array) return commonKey(r, id);
  const w = r.words;
  const o = r.off[id];
  return mix(mix(mix(commonKey(r, id, 5), w[o + 3]), w[o + 4]), w[o + 5]);
}

/** Common fields and element count (element and index types compared by
 * the caller). */
export function compatArray(r: DedupRecords, a: number, b: number): boolean {
  return r.kind(a) === Kind.Array && r.kind(b) === Kind.Array && equalCommon(r, a, b) && r.words[r.off[a] + 5] === r.words[r.off[b] + 5];
}

export function equalArray(r: DedupRecords, a: number, b: number): boolean {
  return compatArray(r, a, b) && sameWords(r, a, b, 3, 2);
}

export function fnProtoKey(r: DedupRecords, id: number): number {
  if (r.kind(id) !== Kind.FuncProto) return commonKey(r, id);
  let k = commonKey(r, id, 6);
  const w = r.words;
  const o = r.off[id];
  for (let m = o + 3, end = m + 2 * r.vlen(id); m < end; m += 2) k = mix(mix(k, w[m]), w[m + 1]);
  return k;
}

/** Name, info and parameter names; return and parameter types are compared
 * by the caller. */
export function compatFnProto(r: DedupRecords, a: number, b: number): boolean {
  if (r.kind(a) !== Kind.FuncProto || r.kind(b) !== Kind.FuncProto) return false;
  const w = r.words;
  const x = r.off[a];
  const y = r.off[b];
  if (w[x] !== w[y] || w[x + 1] !== w[y + 1]) return false;
  for (let m = 3, end = 3 + 2 * r.vlen(a); m < end; m += 2) if (w[x + m] !== w[y + m]) return false;
  return true;
}

export function equalFnProto(r: DedupRecords, a: number, b: number): boolean {
  if (!equalCommon(r, a, b) || r.kind(a) !== Kind.FuncProto) return false;
  return sameWords(r, a, b, 3, 2 * r.vlen(a));
}

/** Words [from, from + n) of both records are equal. */
function sameWords(r: DedupRecords, a: number, b: number, from: number, n: number): boolean {
  const w = r.words;
  const x = r.off[a] + from;
  const y = r.off[b] + from;
  for (let i = 0; i < n; i++) if (w[x + i] !== w[y + i]) return false;
  return true;
}
