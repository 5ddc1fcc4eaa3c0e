import type { Btf } from '../btf/btf.js';
import { Kind } from '../btf/kinds.js';

/**
 * A short C-like description of a BTF type for reports: "struct task_struct",
 * "u32", "char[16]", "int *", "void". Not a declaration printer (that is the
 * C dumper's job); just enough to name key/value and variable types.
 */
export function typeDescription(btf: Btf, id: number, depth = 0): string {
  if (depth > 16) return '...';
  const t = btf.type(id);
  if (t === undefined) return 'void';
  const named = (prefix: string): string => (t.name !== '' ? `${prefix}${t.name}` : `${prefix}(anon)`);
  switch (t.kind) {
    case Kind.Int:
    case Kind.Float:
    case Kind.Typedef:
      return t.name;
    case Kind.Struct:
      return named('struct ');
    case Kind.Union:
      return named('union ');
    case Kind.Enum:
    case Kind.Enum64:
      return named('enum ');
    case Kind.Fwd:
      return named(t.kflag ? 'union ' : 'struct ');
    case Kind.Ptr:
      return `${typeDescription(btf, t.type, depth + 1)} *`;
    case Kind.Const:
      return `const ${typeDescription(btf, t.type, depth + 1)}`;
    case Kind.Volatile:
      return `volatile ${typeDescription(btf, t.type, depth + 1)}`;
    case Kind.Restrict:
      return `${typeDescription(btf, t.type, depth + 1)} restrict`;
    case Kind.TypeTag:
      return `${typeDescription(btf, t.type, depth + 1)} __attribute__((btf_type_tag("${t.name}")))`;
    case Kind.Array:
      return `${typeDescription(btf, t.type, depth + 1)}[${t.nelems}]`;
    case Kind.FuncProto:
      return `${typeDescription(btf, t.returnType, depth + 1)} (${t.params.map((p) => (p.type === 0 ? '...' : typeDescription(btf, p.type, depth + 1))).join(', ')})`;
    case Kind.Func:
    case Kind.Var:
      return typeDescription(btf, t.type, depth + 1);
    case Kind.Datasec:
      return `datasec ${t.name}`;
    case Kind.DeclTag:
      return typeDescription(btf, t.type, depth + 1);
    default:
      return 'unknown';
  }
}
