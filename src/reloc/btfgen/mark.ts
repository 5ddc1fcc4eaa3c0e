/**
 * Which target types and members a set of CO-RE relocations depends on
 * (the "marking" half of bpftool's `gen min_core_btf`).
 *
 * The rules follow bpftool 7.1 so that the output is the same:
 *   field relocations   the root type and, along the target access path,
 *                       each struct/union crossed with only the member
 *                       taken, plus everything that member's type needs
 *                       without looking through pointers;
 *   type_id_target,     the type and what it refers to, pointers followed
 *   type_exists/size    (a struct reached this way keeps no members);
 *   type_matches        the type with all members of every struct/union
 *                       reached, but only the struct itself (no members)
 *                       behind a pointer;
 *   enumval             the enum, with all its values;
 *   type_id_local       nothing (it never looks at the target).
 * A relocation that matched no target type marks nothing. Reaching a kind
 * bpftool does not handle there fails the whole generation, as in bpftool:
 * TYPE_TAG, FUNC, VAR, DATASEC, DECL_TAG anywhere, and FWD except under
 * type_matches (checked against bpftool 7.1 by testdata/btfgen/edge.bpf.c).
 *
 * Marking is idempotent, so a worklist with a visited set replaces
 * bpftool's recursion: same marks, but no stack overflow on deep chains and
 * no endless loop on cyclic hostile input.
 */
import { Kind, kindName, type AnyBtfType, type Btf, CoreReloKind } from '../../btf/index.js';
import { BpfkitError } from '../../internal/errors.js';
import type { CoreSpec } from '../spec.js';

/** Kinds a kept type may have: bpftool refuses any other kind it reaches. */
function unsupported(id: number, t: AnyBtfType | undefined): BpfkitError {
  const k = t === undefined ? 'void' : kindName(t.kind);
  return new BpfkitError('UNSUPPORTED', `a relocation needs target type [${id}] of kind ${k}, which bpftool's min_core_btf does not keep`, { typeId: id });
}

/** Types and struct/union members to keep, by target type id. */
export class Marks {
  readonly types = new Set<number>();
  /** Composite type id → indices of its members to keep. */
  readonly members = new Map<number, Set<number>>();

  constructor(readonly btf: Btf) {}

  private member(id: number, idx: number): void {
    let s = this.members.get(id);
    if (s === undefined) this.members.set(id, (s = new Set()));
    s.add(idx);
  }

  private typeOf(id: number): AnyBtfType | undefined {
    if (!this.btf.hasId(id)) throw new BpfkitError('OUT_OF_RANGE', `type id ${id} does not exist in the target BTF`, { typeId: id });
    return this.btf.type(id);
  }

  /**
   * Keep `rootId` and the types it refers to. Structs and unions are kept
   * without members; pointers are followed only with `followPointers`.
   */
  markType(rootId: number, followPointers: boolean): void {
    const seen = new Set<number>();
    const work = [rootId];
    while (work.length > 0) {
      const id = work.pop()!;
      if (id === 0 || seen.has(id)) continue;
      seen.add(id);
      const t = this.typeOf(id);
      if (t === undefined) continue;
      this.types.add(id);
      switch (t.kind) {
        case Kind.Int:
        case Kind.Float:
        case Kind.Enum:
        case Kind.Enum64:
        case Kind.Struct:
        case Kind.Union:
          break;
        case Kind.Ptr:
          if (followPointers) work.push(t.type);
          break;
        case Kind.Const:
        case Kind.Restrict:
        case Kind.Volatile:
        case Kind.Typedef:
          work.push(t.type);
          break;
        case Kind.Array:
          // index type pushed first so the element type is visited first,
          // as bpftool does (order does not change the result)
          work.push(t.indexType, t.type);
          break;
        case Kind.FuncProto:
          for (let i = t.params.length - 1; i >= 0; i--) work.push(t.params[i].type);
          work.push(t.returnType);
          break;
        default:
          throw unsupported(id, t);
      }
    }
  }

  /**
   * type_matches: keep the type and every member of each struct/union
   * reached by value; behind a pointer a struct/union is kept bare.
   */
  markTypeMatch(rootId: number): void {
    // visited per (id, behind pointer): a struct seen bare first must still
    // be expanded when reached again by value
    const seen = new Set<string>();
    const work: [number, boolean][] = [[rootId, false]];
    while (work.length > 0) {
      const [id, behindPtr] = work.pop()!;
      if (id === 0) continue;
      const key = `${id}:${behindPtr ? 1 : 0}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const t = this.typeOf(id);
      if (t === undefined) continue;
      this.types.add(id);
      switch (t.kind) {
        case Kind.Int:
        case Kind.Float:
        case Kind.Enum:
        case Kind.Enum64:
          break;
        case Kind.Struct:
        case Kind.Union:
          if (behindPtr) break;
          for (let i = t.members.length - 1; i >= 0; i--) {
            this.member(id, i);
            work.push([t.members[i].type, false]);
          }
          break;
        case Kind.Fwd:
          // bpftool follows a FWD's (unused, zero) type field: nothing more
          if (t.sizeOrType !== 0) work.push([t.sizeOrType, behindPtr]);
          break;
        case Kind.Const:
        case Kind.Restrict:
        case Kind.Typedef:
        case Kind.Volatile:
          work.push([t.type, behindPtr]);
          break;
        case Kind.Ptr:
          work.push([t.type, true]);
          break;
        case Kind.Array:
          work.push([t.indexType, false], [t.type, false]);
          break;
        case Kind.FuncProto:
          for (let i = t.params.length - 1; i >= 0; i--) work.push([t.params[i].type, false]);
          work.push([t.returnType, false]);
          break;
        default:
          throw unsupported(id, t);
      }
    }
  }

  /**
   * Field relocation: the root type, then along the target's raw access
   * path each member taken (and its type, pointers not followed). The first
   * raw index selects an element of an array of roots and keeps nothing.
   */
  markField(spec: CoreSpec): void {
    let id = spec.rootTypeId;
    this.markType(id, false);
    for (let i = 1; i < spec.raw.length; i++) {
      let t = this.typeOf(id);
      for (let depth = 0; t !== undefined && isModOrTypedef(t.kind); depth++) {
        if (depth > 4096) throw new BpfkitError('BAD_VALUE', `type [${id}]: modifier chain too deep`, { typeId: id });
        id = (t as { type: number }).type;
        t = this.typeOf(id);
      }
      if (t !== undefined && (t.kind === Kind.Struct || t.kind === Kind.Union)) {
        const idx = spec.raw[i];
        const m = t.members[idx];
        if (m === undefined) throw new BpfkitError('OUT_OF_RANGE', `member #${idx} of [${id}] does not exist`, { typeId: id });
        this.member(id, idx);
        id = m.type;
        this.markType(id, false);
      } else if (t !== undefined && t.kind === Kind.Array) {
        id = t.type;
      } else {
        throw unsupported(id, t);
      }
    }
  }

  /** Record what one relocation's target spec needs. */
  record(kind: number, targ: CoreSpec | undefined): void {
    if (targ === undefined) return;
    switch (kind) {
      case CoreReloKind.FieldByteOffset:
      case CoreReloKind.FieldByteSize:
      case CoreReloKind.FieldExists:
      case CoreReloKind.FieldSigned:
      case CoreReloKind.FieldLshiftU64:
      case CoreReloKind.FieldRshiftU64:
        this.markField(targ);
        return;
      case CoreReloKind.TypeIdLocal:
        return;
      case CoreReloKind.TypeIdTarget:
      case CoreReloKind.TypeExists:
      case CoreReloKind.TypeSize:
        this.markType(targ.rootTypeId, true);
        return;
      case CoreReloKind.TypeMatches:
        this.markTypeMatch(targ.rootTypeId);
        return;
      case CoreReloKind.EnumvalExists:
      case CoreReloKind.EnumvalValue:
        this.markType(targ.rootTypeId, false);
        return;
      default:
        throw new BpfkitError('BAD_VALUE', `unknown CO-RE relocation kind ${kind}`);
    }
  }
}

function isModOrTypedef(kind: Kind): boolean {
  return kind === Kind.Typedef || kind === Kind.Volatile || kind === Kind.Const || kind === Kind.Restrict || kind === Kind.TypeTag;
}
