import type { Btf } from '../btf/btf.js';
import { Kind, kindName, LINKAGE_STATIC } from '../btf/kinds.js';
import { skipModsAndTypedefs } from '../btf/sizes.js';

/**
 * Whether a global's declaration and definition have compatible BTF types,
 * by the rules of libbpf's glob_sym_btf_matches: modifiers and typedefs are
 * skipped; struct/union/enum/func/var names must agree; ints, floats and
 * enums must have the same size; behind a pointer only the shape is
 * compared (a forward declaration matches a struct or union of its name);
 * with `exact`, struct and union members must agree by name, offset and
 * type; function prototypes must agree in arity, parameter and return
 * types. Returns undefined when compatible, else the reason.
 */
export function btfMismatch(
  symName: string,
  exact: boolean,
  btf1: Btf,
  id1: number,
  btf2: Btf,
  id2: number,
  depth = 0,
): string | undefined {
  for (;;) {
    if (depth > 64) return `type chain of '${symName}' is too deep to compare`;
    id1 = skipModsAndTypedefs(btf1, id1);
    id2 = skipModsAndTypedefs(btf2, id2);
    const t1 = btf1.type(id1);
    const t2 = btf2.type(id2);
    const k1 = t1 === undefined ? Kind.Unknown : t1.kind;
    const k2 = t2 === undefined ? Kind.Unknown : t2.kind;
    const label = (k: number): string => (k === Kind.Unknown ? 'void' : kindName(k).toLowerCase());

    if (!exact && (k1 === Kind.Fwd) !== (k2 === Kind.Fwd) && t1 !== undefined && t2 !== undefined) {
      if (t1.name !== t2.name) return `forward declaration names differ: '${t1.name}' vs '${t2.name}'`;
      const [fwd, other] = k1 === Kind.Fwd ? [t1, t2] : [t2, t1];
      const wantUnion = fwd.kflag;
      if ((wantUnion && other.kind === Kind.Union) || (!wantUnion && other.kind === Kind.Struct)) return undefined;
      return `'${fwd.name}' is declared as ${wantUnion ? 'union' : 'struct'} but defined as ${label(other.kind)}`;
    }
    if (k1 !== k2) return `types differ in kind: ${describe(t1)} vs ${describe(t2)}`;
    if (t1 === undefined || t2 === undefined) return undefined; // both void

    switch (t1.kind) {
      case Kind.Struct:
      case Kind.Union:
      case Kind.Enum:
      case Kind.Enum64:
      case Kind.Fwd:
      case Kind.Func:
      case Kind.Var:
        if (t1.name !== t2.name) return `${label(k1)} names differ: '${t1.name}' vs '${t2.name}'`;
    }
    switch (t1.kind) {
      case Kind.Fwd:
        return undefined;
      case Kind.Int:
      case Kind.Float:
      case Kind.Enum:
      case Kind.Enum64: {
        const s2 = (t2 as { size: number }).size;
        if (t1.size !== s2) return `${label(k1)} '${t1.name}' (${t1.size} bytes) vs '${t2.name}' (${s2} bytes)`;
        return undefined;
      }
      case Kind.Ptr:
        exact = false;
        id1 = t1.type;
        id2 = (t2 as typeof t1).type;
        depth++;
        continue;
      case Kind.Array:
        id1 = t1.type;
        id2 = (t2 as typeof t1).type;
        depth++;
        continue;
      case Kind.Func:
      case Kind.Var: {
        const o = t2 as typeof t1;
        if ((t1.linkage === LINKAGE_STATIC) !== (o.linkage === LINKAGE_STATIC)) return `'${t1.name}' is static in one and global in the other`;
        id1 = t1.type;
        id2 = o.type;
        depth++;
        continue;
      }
      case Kind.Struct:
      case Kind.Union: {
        if (!exact) return undefined;
        const o = t2 as typeof t1;
        if (t1.members.length !== o.members.length) {
          return `${label(k1)} '${t1.name}' has ${t1.members.length} fields in one and ${o.members.length} in the other`;
        }
        for (let i = 0; i < t1.members.length; i++) {
          const m1 = t1.members[i];
          const m2 = o.members[i];
          if (m1.name !== m2.name) return `field #${i} of '${t1.name}' is '${m1.name}' in one and '${m2.name}' in the other`;
          if (m1.bitsOffset !== m2.bitsOffset || m1.bitfieldSize !== m2.bitfieldSize) return `field '${m1.name}' of '${t1.name}' has different offsets`;
          const why = btfMismatch(symName, exact, btf1, m1.type, btf2, m2.type, depth + 1);
          if (why !== undefined) return why;
        }
        return undefined;
      }
      case Kind.FuncProto: {
        const o = t2 as typeof t1;
        if (t1.params.length !== o.params.length) return `the functions take ${t1.params.length} and ${o.params.length} parameters`;
        for (let i = 0; i < t1.params.length; i++) {
          const why = btfMismatch(symName, exact, btf1, t1.params[i].type, btf2, o.params[i].type, depth + 1);
          if (why !== undefined) return `parameter #${i + 1}: ${why}`;
        }
        id1 = t1.returnType;
        id2 = o.returnType;
        depth++;
        continue;
      }
      default:
        return `${label(k1)} types cannot be compared`;
    }
  }
}

/** "struct foo", "int 'int' (4 bytes)", "void" for messages. */
export function describe(t: ReturnType<Btf['type']>): string {
  if (t === undefined) return 'void';
  const k = kindName(t.kind).toLowerCase();
  return t.name === '' ? `anonymous ${k}` : `${k} '${t.name}'`;
}
