import { Kind, isOpaque, type AnyBtfType, type BtfType } from '../btf/index.js';
import { linkError } from './errors.js';

/**
 * A copy of `t` with a new id and every type reference passed through
 * `map`. Names are kept as strings; string offsets are assigned when the
 * output BTF is encoded.
 */
export function copyType(t: AnyBtfType, id: number, map: (ref: number) => number, file: string): BtfType {
  if (isOpaque(t)) {
    throw linkError('UNSUPPORTED', `BTF kind ${t.rawKind} is newer than this linker`, { file, section: '.BTF', typeId: t.id });
  }
  const base = { id, name: t.name, nameOff: 0, kflag: t.kflag };
  switch (t.kind) {
    case Kind.Int:
    case Kind.Float:
    case Kind.Fwd:
      return { ...t, ...base };
    case Kind.Ptr:
    case Kind.Typedef:
    case Kind.Volatile:
    case Kind.Const:
    case Kind.Restrict:
    case Kind.TypeTag:
    case Kind.Func:
    case Kind.Var:
    case Kind.DeclTag:
      return { ...t, ...base, type: map(t.type) };
    case Kind.Array:
      return { ...t, ...base, type: map(t.type), indexType: map(t.indexType) };
    case Kind.Struct:
    case Kind.Union:
      return { ...t, ...base, members: t.members.map((m) => ({ ...m, nameOff: 0, type: map(m.type) })) };
    case Kind.Enum:
      return { ...t, ...base, values: t.values.map((v) => ({ ...v, nameOff: 0 })) };
    case Kind.Enum64:
      return { ...t, ...base, values: t.values.map((v) => ({ ...v, nameOff: 0 })) };
    case Kind.FuncProto:
      return { ...t, ...base, returnType: map(t.returnType), params: t.params.map((p) => ({ ...p, nameOff: 0, type: map(p.type) })) };
    case Kind.Datasec:
      return { ...t, ...base, vars: t.vars.map((v) => ({ ...v, type: map(v.type) })) };
  }
}
