import { Kind } from './kinds.js';

/**
 * The BTF type model. Unlike the wire records (see wire.ts) these objects
 * carry resolved names and typed fields; ids refer to other types by number
 * so the model stays a flat, id-stable table like the kernel's.
 *
 * `nameOff` remembers where the name lived in the string table it was read
 * from, so that re-encoding an unchanged BTF reproduces the bytes exactly;
 * encoders ignore it when `name` no longer matches the string there.
 */
interface Base {
  id: number;
  name: string;
  nameOff: number;
  /** The info word's kind_flag bit (meaning depends on the kind). */
  kflag: boolean;
}

/** For kinds whose info vlen has no meaning: whatever the input held there
 * (0 in well-formed BTF), kept so that round trips are exact. */
interface UnusedVlen {
  vlen: number;
}

export interface IntType extends Base, UnusedVlen {
  kind: Kind.Int;
  size: number;
  /** INT_SIGNED | INT_CHAR | INT_BOOL */
  encoding: number;
  bitsOffset: number;
  bits: number;
  /** Bits of the INT data word outside the three fields (0 when valid). */
  reservedBits: number;
}

export interface RefType extends Base, UnusedVlen {
  kind: Kind.Ptr | Kind.Typedef | Kind.Volatile | Kind.Const | Kind.Restrict | Kind.TypeTag;
  type: number;
}

export interface ArrayType extends Base, UnusedVlen {
  kind: Kind.Array;
  /** size_or_type field, unused for arrays (0 when valid). */
  sizeOrType: number;
  type: number;
  indexType: number;
  nelems: number;
}

export interface Member {
  name: string;
  nameOff: number;
  type: number;
  /** Bit offset of the member from the start of the struct. */
  bitsOffset: number;
  /** Bitfield width when the struct has kflag set; 0 otherwise. */
  bitfieldSize: number;
}

export interface CompositeType extends Base {
  kind: Kind.Struct | Kind.Union;
  size: number;
  members: Member[];
}

export interface EnumValue {
  name: string;
  nameOff: number;
  /** Signed (kflag set) or unsigned 32-bit value as a JS number. */
  value: number;
}

export interface EnumType extends Base {
  kind: Kind.Enum;
  size: number;
  values: EnumValue[];
}

export interface Enum64Value {
  name: string;
  nameOff: number;
  /** Signed (kflag set) or unsigned 64-bit value. */
  value: bigint;
}

export interface Enum64Type extends Base {
  kind: Kind.Enum64;
  size: number;
  values: Enum64Value[];
}

export interface FwdType extends Base, UnusedVlen {
  kind: Kind.Fwd;
  /** size_or_type field, unused for FWD (0 when valid). */
  sizeOrType: number;
}

export interface FuncType extends Base {
  kind: Kind.Func;
  /** The FUNC_PROTO. */
  type: number;
  /** LINKAGE_* (stored in the vlen bits). */
  linkage: number;
}

export interface Param {
  name: string;
  nameOff: number;
  type: number;
}

export interface FuncProtoType extends Base {
  kind: Kind.FuncProto;
  returnType: number;
  params: Param[];
}

export interface VarType extends Base, UnusedVlen {
  kind: Kind.Var;
  type: number;
  linkage: number;
}

export interface VarSecinfo {
  type: number;
  offset: number;
  size: number;
}

export interface DatasecType extends Base {
  kind: Kind.Datasec;
  size: number;
  vars: VarSecinfo[];
}

export interface FloatType extends Base, UnusedVlen {
  kind: Kind.Float;
  size: number;
}

export interface DeclTagType extends Base, UnusedVlen {
  kind: Kind.DeclTag;
  type: number;
  /** -1 for the whole declaration, else the member/parameter index. */
  componentIdx: number;
}

/**
 * A kind newer than this code, readable only because the BTF's layout
 * section says how long its record is. Kept as opaque bytes.
 */
export interface OpaqueType extends Base {
  /** Always Kind.Unknown, so that checks of `kind` narrow the union; the
   * kind number from the input is `rawKind`. */
  kind: Kind.Unknown;
  rawKind: number;
  vlen: number;
  sizeOrType: number;
  /** The bytes after the 12-byte common header. */
  data: Uint8Array;
  opaque: true;
}

export type BtfType =
  | IntType
  | RefType
  | ArrayType
  | CompositeType
  | EnumType
  | Enum64Type
  | FwdType
  | FuncType
  | FuncProtoType
  | VarType
  | DatasecType
  | FloatType
  | DeclTagType;

export type AnyBtfType = BtfType | OpaqueType;

export function isOpaque(t: AnyBtfType): t is OpaqueType {
  return (t as OpaqueType).opaque === true;
}

/** One entry of the optional layout section (index = kind). */
export interface KindLayout {
  /** Bytes of the single record after the common header. */
  infoSize: number;
  /** Bytes of each of the vlen records. */
  elemSize: number;
  flags: number;
}
