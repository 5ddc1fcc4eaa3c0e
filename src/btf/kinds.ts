/** BTF kind numbers as the kernel's uapi `linux/btf.h` assigns them. */
export const enum Kind {
  Unknown = 0,
  Int = 1,
  Ptr = 2,
  Array = 3,
  Struct = 4,
  Union = 5,
  Enum = 6,
  Fwd = 7,
  Typedef = 8,
  Volatile = 9,
  Const = 10,
  Restrict = 11,
  Func = 12,
  FuncProto = 13,
  Var = 14,
  Datasec = 15,
  Float = 16,
  DeclTag = 17,
  TypeTag = 18,
  Enum64 = 19,
}

/** The highest kind this code understands. Higher kinds are only readable
 * when the BTF carries a layout section describing their record sizes. */
export const MAX_KNOWN_KIND = 19;

/** Names as bpftool prints them (index = kind number). */
export const KIND_NAMES: readonly string[] = [
  'UNKNOWN',
  'INT',
  'PTR',
  'ARRAY',
  'STRUCT',
  'UNION',
  'ENUM',
  'FWD',
  'TYPEDEF',
  'VOLATILE',
  'CONST',
  'RESTRICT',
  'FUNC',
  'FUNC_PROTO',
  'VAR',
  'DATASEC',
  'FLOAT',
  'DECL_TAG',
  'TYPE_TAG',
  'ENUM64',
];

export function kindName(kind: number): string {
  return kind >= 0 && kind <= MAX_KNOWN_KIND ? KIND_NAMES[kind] : 'UNKNOWN';
}

/** INT encoding bits. */
export const INT_SIGNED = 1;
export const INT_CHAR = 2;
export const INT_BOOL = 4;

/** FUNC linkage (stored in vlen) and VAR linkage. */
export const LINKAGE_STATIC = 0;
export const LINKAGE_GLOBAL = 1;
export const LINKAGE_EXTERN = 2;
