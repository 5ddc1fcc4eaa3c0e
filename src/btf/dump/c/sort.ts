import { Kind } from '../../kinds.js';
import type { TypeTable } from './table.js';

/**
 * The order newer bpftool (7.5 on, `btf dump … format c` without
 * `unsorted`) dumps types in, so that a vmlinux.h stays stable when type
 * ids shift between kernel builds:
 *
 * 1. rank: anonymous enums (0), named enums (1), ints and floats (2),
 *    named structs/unions (3), named function prototypes (4), everything
 *    else, anonymous structs included (10). Typedefs, modifiers, arrays and
 *    decl tags take the rank of what they name, counted as named.
 * 2. sort name: an enum's own name, or for an anonymous enum its first
 *    enumerator; through typedefs, modifiers and arrays, the name of the
 *    type at the end of the chain; otherwise the type's own name.
 * 3. own name, 4. a hash of the names (members, enumerators, element counts)
 *    that tells same-named types apart, 5. id.
 *
 * Names compare as bytes (strcmp); JS string comparison of Latin-1 decoded
 * names gives the same order.
 *
 * One difference from bpftool: bpftool's loop starts at the second sorted
 * entry (it indexes the sorted array like the id space, where slot 0 is
 * void), so the first type in sorted order — an anonymous enum, when there
 * is one — is not printed unless another type needs it. bpfkit prints it.
 */
const MAX_RANK = 10;
/** Chains longer than this are cycles (the parser allows only acyclic
 * modifier chains in practice, but hostile input need not be). */
const MAX_CHAIN = 4096;

export function sortedTypeIds(t: TypeTable): number[] {
  const n = t.count;
  const rank = new Uint8Array(n);
  const sortName: string[] = new Array(n);
  const ownName: string[] = new Array(n);
  for (let id = 0; id < n; id++) {
    rank[id] = typeRank(t, id);
    sortName[id] = typeSortName(t, id);
    ownName[id] = id === 0 ? '' : t.str(t.nameOffOf(id));
  }
  const hashes = new Map<number, bigint>();
  const hashOf = (id: number): bigint => {
    let h = hashes.get(id);
    if (h === undefined) {
      h = disambigHash(t, id, true, 0);
      hashes.set(id, h);
    }
    return h;
  };
  const ids: number[] = [];
  for (let id = 1; id < n; id++) ids.push(id);
  ids.sort((a, b) => {
    if (rank[a] !== rank[b]) return rank[a] - rank[b];
    if (sortName[a] !== sortName[b]) return sortName[a] < sortName[b] ? -1 : 1;
    if (ownName[a] !== ownName[b]) return ownName[a] < ownName[b] ? -1 : 1;
    const ha = hashOf(a);
    const hb = hashOf(b);
    if (ha !== hb) return ha < hb ? -1 : 1;
    return a - b;
  });
  return ids;
}

/** Where an array, modifier, typedef or decl tag leads (the element or
 * referenced type) when ranking, naming and hashing follow it; -1 for
 * other kinds. */
function chainNext(t: TypeTable, id: number): number {
  switch (t.kind[id]) {
    case Kind.Array:
      return t.arrayElem(id);
    case Kind.TypeTag:
    case Kind.Const:
    case Kind.Ptr:
    case Kind.Volatile:
    case Kind.Restrict:
    case Kind.Typedef:
    case Kind.DeclTag:
      return t.sotOf(id);
    default:
      return -1;
  }
}

function typeRank(t: TypeTable, start: number): number {
  let id = start;
  let named = false;
  for (let steps = 0; steps < MAX_CHAIN; steps++) {
    if (id === 0 || id >= t.count) return MAX_RANK;
    if (t.nameOffOf(id) !== 0) named = true;
    switch (t.kind[id]) {
      case Kind.Enum:
      case Kind.Enum64:
        return named ? 1 : 0;
      case Kind.Int:
      case Kind.Float:
        return 2;
      case Kind.Struct:
      case Kind.Union:
        return named ? 3 : MAX_RANK;
      case Kind.FuncProto:
        return named ? 4 : MAX_RANK;
    }
    // A chain ranks as what it leads to, but only when something on the
    // way is named: an anonymous array or pointer ranks last.
    const next = chainNext(t, id);
    if (next < 0 || !named) return MAX_RANK;
    id = next;
  }
  return MAX_RANK;
}

function typeSortName(t: TypeTable, start: number): string {
  let id = start;
  let fromRef = false;
  for (let steps = 0; steps < MAX_CHAIN; steps++) {
    if (id === 0 || id >= t.count) return '';
    const k = t.kind[id];
    if (k === Kind.Enum || k === Kind.Enum64) {
      let off = t.nameOffOf(id);
      // an anonymous enum sorts by its first enumerator (not when reached
      // through a typedef or modifier: then it is the typedef's type)
      if (!fromRef && off === 0 && t.vlenOf(id) > 0) off = t.u32(id, 12);
      return t.str(off);
    }
    const next = chainNext(t, id);
    if (next < 0) return t.str(t.nameOffOf(id));
    id = next;
    fromRef = true;
  }
  return '';
}

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const mix = (hash: bigint, val: bigint): bigint => U64(hash * 31n + val);

/** libbpf's str_hash: h = h * 31 + c over the bytes, `char` being signed
 * on the machines bpftool runs on. */
function strHash(t: TypeTable, off: number): bigint {
  const b = t.strs;
  let h = 0n;
  for (let i = off; i < b.length && b[i] !== 0; i++) h = U64(h * 31n + BigInt(b[i] >= 128 ? b[i] - 256 : b[i]));
  return h;
}

function nameHash(t: TypeTable, hash: bigint, off: number): bigint {
  return off === 0 ? hash : mix(hash, strHash(t, off));
}

function disambigHash(t: TypeTable, id: number, members: boolean, depth: number): bigint {
  if (id >= t.count || depth > MAX_CHAIN) return 0n;
  if (id === 0) return 0n;
  let hash = nameHash(t, 0n, t.nameOffOf(id));
  const vlen = t.vlenOf(id);
  switch (t.kind[id]) {
    case Kind.Enum:
      for (let i = 0; i < vlen; i++) hash = nameHash(t, hash, t.u32(id, 12 + i * 8));
      break;
    case Kind.Enum64:
      for (let i = 0; i < vlen; i++) hash = nameHash(t, hash, t.u32(id, 12 + i * 12));
      break;
    case Kind.Struct:
    case Kind.Union:
      if (!members) break;
      for (let i = 0; i < vlen; i++) {
        hash = nameHash(t, hash, t.memberNameOff(id, i));
        hash = mix(hash, disambigHash(t, t.memberType(id, i), false, depth + 1));
      }
      break;
    case Kind.Array:
      hash = mix(hash, BigInt(t.arrayNelems(id)));
      hash = mix(hash, disambigHash(t, t.arrayElem(id), members, depth + 1));
      break;
    default: {
      // modifiers, typedefs and decl tags: what they refer to
      const next = chainNext(t, id);
      if (next >= 0) hash = mix(hash, disambigHash(t, next, members, depth + 1));
      break;
    }
  }
  return hash;
}
