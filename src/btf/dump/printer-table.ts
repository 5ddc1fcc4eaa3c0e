import { Kind } from '../kinds.js';

/**
 * The raw and JSON dumps print the same fields per kind in two syntaxes:
 * each supplies one printer per record layout, and this is the one place
 * that says which kinds share a layout (the reference kinds all print a
 * type id, FLOAT prints a size, STRUCT and UNION the same members).
 */
export interface LayoutPrinters<P> {
  int: P;
  /** PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG: a type id. */
  ref: P;
  array: P;
  /** STRUCT and UNION. */
  composite: P;
  enum: P;
  fwd: P;
  func: P;
  funcProto: P;
  var: P;
  datasec: P;
  /** FLOAT: a size. */
  float: P;
  declTag: P;
  enum64: P;
}

/** An array indexed by kind number; kinds without a printer are holes. */
export function printersByKind<P>(p: LayoutPrinters<P>): P[] {
  const t: P[] = [];
  t[Kind.Int] = p.int;
  t[Kind.Ptr] = p.ref;
  t[Kind.Array] = p.array;
  t[Kind.Struct] = p.composite;
  t[Kind.Union] = p.composite;
  t[Kind.Enum] = p.enum;
  t[Kind.Fwd] = p.fwd;
  t[Kind.Typedef] = p.ref;
  t[Kind.Volatile] = p.ref;
  t[Kind.Const] = p.ref;
  t[Kind.Restrict] = p.ref;
  t[Kind.Func] = p.func;
  t[Kind.FuncProto] = p.funcProto;
  t[Kind.Var] = p.var;
  t[Kind.Datasec] = p.datasec;
  t[Kind.Float] = p.float;
  t[Kind.DeclTag] = p.declTag;
  t[Kind.TypeTag] = p.ref;
  t[Kind.Enum64] = p.enum64;
  return t;
}
