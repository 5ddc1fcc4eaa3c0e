import { Kind } from '../../kinds.js';
import type { AnyBtfType } from '../../types.js';

/** Test support: a deep copy of `t` with every type id it holds (except
 * void) moved by `by`, and its own id too. */
export function shiftIds(t: AnyBtfType, by: number): AnyBtfType {
  const sh = (x: number): number => (x === 0 ? 0 : x + by);
  const c = structuredClone(t);
  c.id = t.id + by;
  switch (c.kind) {
    case Kind.Struct:
    case Kind.Union:
      for (const m of c.members) m.type = sh(m.type);
      break;
    case Kind.FuncProto:
      c.returnType = sh(c.returnType);
      for (const p of c.params) p.type = sh(p.type);
      break;
    case Kind.Datasec:
      for (const v of c.vars) v.type = sh(v.type);
      break;
    case Kind.Array:
      c.type = sh(c.type);
      c.indexType = sh(c.indexType);
      break;
    case Kind.Int:
    case Kind.Enum:
    case Kind.Enum64:
    case Kind.Fwd:
    case Kind.Float:
    case Kind.Unknown:
      break;
    default:
      c.type = sh(c.type);
  }
  return c;
}

/** The model without string offsets (which a rebuilt table may move). */
export function withoutOffsets(t: AnyBtfType | undefined): string {
  return JSON.stringify(t, (k, v: unknown) => (k === 'nameOff' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
}
