import { StringTable } from '../../../internal/strings.js';
import { Btf } from '../../btf.js';
import { INT_SIGNED, Kind } from '../../kinds.js';
import type { BtfType } from '../../types.js';

/**
 * Test support: hand-written BTF. Each helper returns a type without an id;
 * `btfOf` numbers them from 1 in order. Names live only in the model (the
 * string table is empty); dedup rebuilds the table anyway.
 */
type NoId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type Spec = NoId<BtfType>;

const common = { nameOff: 0, kflag: false };

export const int = (name: string, size = 4, signed = true): Spec => ({
  ...common,
  kind: Kind.Int,
  name,
  vlen: 0,
  size,
  encoding: signed ? INT_SIGNED : 0,
  bitsOffset: 0,
  bits: size * 8,
  reservedBits: 0,
});
export const ref = (kind: Kind.Ptr | Kind.Typedef | Kind.Const | Kind.Volatile | Kind.Restrict | Kind.TypeTag, name: string, type: number): Spec => ({ ...common, kind, name, vlen: 0, type });
export const ptr = (type: number): Spec => ref(Kind.Ptr, '', type);
export const typedef = (name: string, type: number): Spec => ref(Kind.Typedef, name, type);
export const constOf = (type: number): Spec => ref(Kind.Const, '', type);
export const struct = (name: string, size: number, members: [string, number, number][], kind: Kind.Struct | Kind.Union = Kind.Struct): Spec => ({
  ...common,
  kind,
  name,
  size,
  members: members.map(([n, type, bitsOffset]) => ({ name: n, nameOff: 0, type, bitsOffset, bitfieldSize: 0 })),
});
export const fwd = (name: string, union = false): Spec => ({ ...common, kflag: union, kind: Kind.Fwd, name, vlen: 0, sizeOrType: 0 });
export const array = (type: number, indexType: number, nelems: number): Spec => ({
  ...common,
  kind: Kind.Array,
  name: '',
  vlen: 0,
  sizeOrType: 0,
  type,
  indexType,
  nelems,
});
export const enumOf = (name: string, size: number, values: [string, number][]): Spec => ({
  ...common,
  kind: Kind.Enum,
  name,
  size,
  values: values.map(([n, value]) => ({ name: n, nameOff: 0, value })),
});
export const variable = (name: string, type: number, linkage = 1): Spec => ({ ...common, kind: Kind.Var, name, vlen: 0, type, linkage });
export const funcProto = (returnType: number, params: [string, number][]): Spec => ({
  ...common,
  kind: Kind.FuncProto,
  name: '',
  returnType,
  params: params.map(([n, type]) => ({ name: n, nameOff: 0, type })),
});
export const func = (name: string, type: number, linkage = 1): Spec => ({ ...common, kind: Kind.Func, name, type, linkage });

export function btfOf(specs: Spec[]): Btf {
  const types = specs.map((s, i) => ({ ...structuredClone(s), id: i + 1 }) as BtfType);
  return new Btf({ types, strings: new StringTable(new Uint8Array(1)), littleEndian: true });
}

/** The types of a BTF as specs (ids and string offsets dropped), for
 * comparing with an expected list. */
export function specsOf(btf: Btf): Spec[] {
  return [...btf].map((t) => {
    const c = structuredClone(t) as Partial<BtfType> & Record<string, unknown>;
    delete c.id;
    const zero = (x: { nameOff: number }): void => {
      x.nameOff = 0;
    };
    zero(c as { nameOff: number });
    for (const l of [c.members, c.values, c.params] as ({ nameOff: number }[] | undefined)[]) l?.forEach(zero);
    return c as Spec;
  });
}

/** A split BTF of `specs` over `base` (own ids continue after the base's). */
export function splitOf(base: Btf, specs: Spec[]): Btf {
  const first = base.typeCount;
  const types = specs.map((s, i) => ({ ...structuredClone(s), id: first + i }) as BtfType);
  return new Btf({ types, strings: new StringTable(new Uint8Array(0)), base, littleEndian: true });
}
