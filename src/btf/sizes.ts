import { BpfkitError } from '../internal/errors.js';
import type { Btf } from './btf.js';
import { Kind } from './kinds.js';
import type { AnyBtfType } from './types.js';

/**
 * Size and alignment of BTF types, with libbpf's rules (btf__resolve_size,
 * btf__align_of, btf__pointer_size), so that layouts computed here agree
 * with what libbpf and the kernel compute.
 */

/** libbpf's bound on chains of typedefs/modifiers/arrays. */
const MAX_RESOLVE_DEPTH = 32;

const pointerSizes = new WeakMap<Btf, number>();

/**
 * Pointer size of the BTF's target: the size of its `long` (the first INT
 * named like it), as libbpf guesses it; 8 when no such type exists.
 */
export function pointerSize(btf: Btf): number {
  const hit = pointerSizes.get(btf);
  if (hit !== undefined) return hit;
  let size = 8;
  const longNames = new Set(['long', 'long int', 'int long', 'unsigned long', 'long unsigned int', 'unsigned long int']);
  for (let id = 1; id < btf.typeCount; id++) {
    const t = btf.type(id)!;
    if (t.kind === Kind.Int && longNames.has(t.name) && (t.size === 4 || t.size === 8)) {
      size = t.size;
      break;
    }
  }
  pointerSizes.set(btf, size);
  return size;
}

function fail(id: number, what: string): never {
  throw new BpfkitError('BAD_VALUE', what, { typeId: id });
}

/** Skip typedefs, const/volatile/restrict and type tags. Returns 0 for void. */
export function skipModsAndTypedefs(btf: Btf, id: number): number {
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
    const t = btf.type(id);
    if (t === undefined) return 0;
    switch (t.kind) {
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
        id = t.type;
        break;
      default:
        return id;
    }
  }
  return fail(id, `type chain deeper than ${MAX_RESOLVE_DEPTH}`);
}

/** Size in bytes of a type, as btf__resolve_size computes it. Throws for
 * types without a size (void, FWD, FUNC, FUNC_PROTO) and for loops. */
export function sizeOf(btf: Btf, id: number): number {
  let nelems = 1;
  const start = id;
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
    const t: AnyBtfType | undefined = btf.type(id);
    if (t === undefined) return fail(start, 'void has no size');
    let size: number | undefined;
    switch (t.kind) {
      case Kind.Int:
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Datasec:
      case Kind.Float:
        size = t.size;
        break;
      case Kind.Ptr:
        size = pointerSize(btf);
        break;
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.Var:
      case Kind.DeclTag:
      case Kind.TypeTag:
        id = t.type;
        continue;
      case Kind.Array:
        if (nelems !== 0 && t.nelems > 0xffffffff / nelems) fail(start, 'array size overflows 32 bits');
        nelems *= t.nelems;
        id = t.type;
        continue;
      default:
        return fail(start, `a ${t.kind === Kind.Unknown ? 'type of unknown kind' : 'type of this kind'} has no size`);
    }
    if (nelems !== 0 && size > 0xffffffff / nelems) fail(start, 'size overflows 32 bits');
    return size * nelems;
  }
  return fail(start, `type chain deeper than ${MAX_RESOLVE_DEPTH}`);
}

/**
 * Alignment in bytes, as btf__align_of computes it: scalars align to
 * min(size, pointer size); a struct or union to its largest member unless
 * a member sits off its natural alignment or the size is not a multiple of
 * it, in which case it must be packed and aligns to 1.
 *
 * Composite results are memoised for the call and a composite that contains
 * itself is an error: without both, hostile BTF (a struct whose members all
 * refer back to it) makes the walk exponential.
 */
export function alignOf(btf: Btf, id: number): number {
  const memo = new Map<number, number>();
  const inProgress = new Set<number>();
  const walk = (tid: number, depth: number): number => {
    if (depth > MAX_RESOLVE_DEPTH) return fail(id, `type chain deeper than ${MAX_RESOLVE_DEPTH}`);
    const t = btf.type(tid);
    if (t === undefined) return fail(id, 'void has no alignment');
    switch (t.kind) {
      case Kind.Int:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Float:
        return Math.min(pointerSize(btf), t.size);
      case Kind.Ptr:
        return pointerSize(btf);
      case Kind.Typedef:
      case Kind.Volatile:
      case Kind.Const:
      case Kind.Restrict:
      case Kind.TypeTag:
      case Kind.Array:
        return walk(t.type, depth + 1);
      case Kind.Struct:
      case Kind.Union: {
        const known = memo.get(tid);
        if (known !== undefined) return known;
        if (inProgress.has(tid)) return fail(tid, 'the struct or union contains itself');
        inProgress.add(tid);
        let max = 1;
        let packed = false;
        for (const m of t.members) {
          const a = walk(m.type, depth + 1);
          if (a > max) max = a;
          if (m.bitfieldSize === 0 && m.bitsOffset % (8 * a) !== 0) {
            packed = true;
            break;
          }
        }
        inProgress.delete(tid);
        const result = packed || t.size % max !== 0 ? 1 : max;
        memo.set(tid, result);
        return result;
      }
      default:
        return fail(id, 'a type of this kind has no alignment');
    }
  };
  return walk(id, 0);
}
