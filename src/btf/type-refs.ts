import { Kind } from './kinds.js';
import type { AnyBtfType } from './types.js';

/**
 * The type ids a type refers to, in one place: every pass that renumbers
 * types (deduplication, linking, BTFGen, tests that permute ids) walks the
 * same fields, and a kind added later needs one edit here.
 */

/** Every type id `t` refers to (void included, in record order). */
export function typeRefs(t: AnyBtfType): number[] {
  switch (t.kind) {
    case Kind.Struct:
    case Kind.Union:
      return t.members.map((m) => m.type);
    case Kind.FuncProto:
      return [t.returnType, ...t.params.map((p) => p.type)];
    case Kind.Datasec:
      return t.vars.map((v) => v.type);
    case Kind.Array:
      return [t.type, t.indexType];
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
    case Kind.Func:
    case Kind.Var:
    case Kind.DeclTag:
      return [t.type];
    default:
      return [];
  }
}

/** A copy of `t` with id `newId` and every reference passed through `map`
 * (members, parameters and the like are copied too; names and string
 * offsets are kept). */
export function remapTypeRefs(t: AnyBtfType, newId: number, map: (id: number) => number): AnyBtfType {
  switch (t.kind) {
    case Kind.Struct:
    case Kind.Union:
      return { ...t, id: newId, members: t.members.map((m) => ({ ...m, type: map(m.type) })) };
    case Kind.FuncProto:
      return { ...t, id: newId, returnType: map(t.returnType), params: t.params.map((p) => ({ ...p, type: map(p.type) })) };
    case Kind.Datasec:
      return { ...t, id: newId, vars: t.vars.map((v) => ({ ...v, type: map(v.type) })) };
    case Kind.Array:
      return { ...t, id: newId, type: map(t.type), indexType: map(t.indexType) };
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
    case Kind.Func:
    case Kind.Var:
    case Kind.DeclTag:
      return { ...t, id: newId, type: map(t.type) };
    case Kind.Enum:
      return { ...t, id: newId, values: t.values.map((v) => ({ ...v })) };
    case Kind.Enum64:
      return { ...t, id: newId, values: t.values.map((v) => ({ ...v })) };
    default:
      return { ...t, id: newId };
  }
}
