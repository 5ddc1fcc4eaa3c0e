import { Kind } from '../../kinds.js';
import { resolveFlatSize } from '../flat-types.js';
import type { DumpState } from './state.js';

/**
 * Sizes and alignments as libbpf 1.1 computes them for the C dump
 * (btf__resolve_size, btf__align_of, and the packed-struct test), including
 * what they return for types without a layout: 0 alignment, negative size.
 */

/** libbpf's resolve depth; alignOf's modifier walk allows four times it. */
const MAX_RESOLVE_DEPTH = 32;

/** btf__resolve_size: bytes, or a negative errno. */
export function resolveSize(d: DumpState, id: number): number {
  return resolveFlatSize(d.t, id, d.ptrSize);
}

/** btf__align_of: the alignment, or 0 for types that have none. A struct
 * or union whose members sit off their alignment, or whose size is not a
 * multiple of it, must have been packed and aligns to 1. */
export function alignOf(d: DumpState, id: number): number {
  const t = d.t;
  for (let depth = 0; depth <= MAX_RESOLVE_DEPTH * 4; depth++) {
    switch (t.kind[id]) {
      case Kind.Int:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Float:
        return id === 0 ? 0 : Math.min(d.ptrSize, t.words[(t.pos[id] >> 2) + 2]);
      case Kind.Ptr:
        return d.ptrSize;
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
        id = t.words[(t.pos[id] >> 2) + 2];
        continue;
      case Kind.Array:
        id = t.words[(t.pos[id] >> 2) + 3];
        continue;
      case Kind.Struct:
      case Kind.Union:
        return compositeAlign(d, id);
      default:
        return 0;
    }
  }
  return 0;
}

function compositeAlign(d: DumpState, id: number): number {
  const memo = d.alignMemo[id];
  if (memo >= 0) return memo;
  // A struct containing itself has no layout (libbpf would recurse forever).
  if (memo === -2) return 0;
  d.alignMemo[id] = -2;
  const t = d.t;
  const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
  let max = 1;
  let result = -1;
  for (let j = 0; j < vlen; j++) {
    const a = alignOf(d, t.words[(t.pos[id] >> 2) + 4 + j * 3]);
    if (a <= 0) {
      result = a;
      break;
    }
    if (a > max) max = a;
    if (t.memberBitfieldSize(id, j) === 0 && t.memberBitOffset(id, j) % (8 * a) !== 0) {
      result = 1;
      break;
    }
  }
  if (result < 0) result = t.words[(t.pos[id] >> 2) + 2] % max !== 0 ? 1 : max;
  d.alignMemo[id] = result;
  return result;
}

/** Whether a struct must be printed with __attribute__((packed)). */
export function isPacked(d: DumpState, id: number): boolean {
  const t = d.t;
  const vlen = (t.words[(t.pos[id] >> 2) + 1] & 0xffff);
  let max = 1;
  for (let j = 0; j < vlen; j++) {
    const a = alignOf(d, t.words[(t.pos[id] >> 2) + 4 + j * 3]);
    if (a !== 0 && t.memberBitfieldSize(id, j) === 0 && t.memberBitOffset(id, j) % (8 * a) !== 0) return true;
    if (a > max) max = a;
  }
  return t.words[(t.pos[id] >> 2) + 2] % max !== 0;
}
