import { Kind } from '../../kinds.js';
import type { NameCounter } from './name-counter.js';
import type { DumpState } from './state.js';

/**
 * Unique C names, as libbpf 1.1 picks them: the n-th definition to use a
 * name within a namespace gets `name___n` (n >= 2). struct/union/enum tags
 * share one namespace; typedef names and enumerators another. Forward
 * declarations (FWD, enums without values) keep their name and take no slot.
 */

function resolve(d: DumpState, id: number, map: NameCounter): string {
  const t = d.t;
  const off = t.nameOff[id];
  if (off === 0) return '';
  if (d.nameResolved[id] !== 0) return d.cachedNames[id]!;
  // Every resolved name is cached (libbpf caches only suffixed ones and
  // re-reads the others), so later references need no string decoding.
  let name = t.str(off);
  d.nameResolved[id] = 1;
  const k = t.kind[id];
  if (k !== Kind.Fwd && !(k === Kind.Enum && t.vlen[id] === 0)) {
    const dups = map.bump(off);
    if (dups > 1) {
      // libbpf formats into a 256-byte buffer.
      name = `${name}___${dups}`;
      if (name.length > 255) name = name.slice(0, 255);
    }
  }
  d.cachedNames[id] = name;
  return name;
}

/** The struct/union/enum tag to print for id. */
export function typeName(d: DumpState, id: number): string {
  return resolve(d, id, d.typeNames);
}

/** The typedef name to print for id. */
export function identName(d: DumpState, id: number): string {
  return resolve(d, id, d.identNames);
}
