import { remapTypeRefs } from '../../type-refs.js';
import type { AnyBtfType } from '../../types.js';

/** Test support: a copy of `t` with every type id it holds (except void)
 * moved by `by`, and its own id too. */
export function shiftIds(t: AnyBtfType, by: number): AnyBtfType {
  return remapTypeRefs(t, t.id + by, (x) => (x === 0 ? 0 : x + by));
}

/** The model without string offsets (which a rebuilt table may move). */
export function withoutOffsets(t: AnyBtfType | undefined): string {
  return JSON.stringify(t, (k, v: unknown) => (k === 'nameOff' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
}
