import { Kind } from '../../kinds.js';
import type { NameCounter } from './name-counter.js';
import type { DumpState } from './state.js';

/**
 * Unique C names, as libbpf 1.1 picks them: the n-th definition to use a
 * name within a namespace gets `name___n` (n >= 2). struct/union/enum tags
 * share one namespace; typedef names and enumerators another. Forward
 * declarations (FWD, enums without values) keep their name and take no slot.
 *
 * A resolved name is kept as its suffix number only and printed straight
 * from the string table: vmlinux has 100k names, and decoding each into a
 * JS string costs more than printing it.
 */

/** Resolve id's name once; returns its `___n` suffix, 0 for none. */
function resolve(d: DumpState, id: number, map: NameCounter): number {
  const t = d.t;
  const off = t.words[(t.pos[id] >> 2)];
  if (off === 0) return 0;
  const known = d.nameSuffix[id];
  if (known !== 0) return known !== 0xffff ? known - 1 : d.bigSuffix.get(id)!;
  let suffix = 0;
  const k = t.kind[id];
  if (k !== Kind.Fwd && !(k === Kind.Enum && (t.words[(t.pos[id] >> 2) + 1] & 0xffff) === 0)) {
    const dups = map.bump(off);
    if (dups > 1) suffix = dups;
  }
  if (suffix < 0xfffe) d.nameSuffix[id] = suffix + 1;
  else {
    d.nameSuffix[id] = 0xffff;
    d.bigSuffix.set(id, suffix);
  }
  return suffix;
}

/** Print id's name with its suffix. */
function put(d: DumpState, id: number, suffix: number): void {
  const off = d.t.words[(d.t.pos[id] >> 2)];
  if (off === 0) return;
  const out = d.out;
  if (suffix === 0) {
    out.cstr(d.t.strs, off);
    return;
  }
  // libbpf formats a suffixed name into a 256-byte buffer.
  const start = out.pos;
  out.cstr(d.t.strs, off).str('___').int(suffix);
  if (out.pos - start > 255) out.pos = start + 255;
}

function text(d: DumpState, id: number, suffix: number): string {
  const off = d.t.words[(d.t.pos[id] >> 2)];
  if (off === 0) return '';
  const name = d.t.str(off);
  return suffix === 0 ? name : `${name}___${suffix}`.slice(0, 255);
}

/** Resolve the struct/union/enum tag of id; returns its suffix. */
export function resolveTypeName(d: DumpState, id: number): number {
  return resolve(d, id, d.typeNames);
}

/** Resolve the typedef name of id; returns its suffix. */
export function resolveIdentName(d: DumpState, id: number): number {
  return resolve(d, id, d.identNames);
}

/** Print the struct/union/enum tag of id. */
export function putTypeName(d: DumpState, id: number): void {
  put(d, id, resolve(d, id, d.typeNames));
}

/** Print the typedef name of id. */
export function putIdentName(d: DumpState, id: number): void {
  put(d, id, resolve(d, id, d.identNames));
}

/** Whether id's typedef name prints as nothing. */
export function identNameIsEmpty(d: DumpState, id: number): boolean {
  const off = d.t.words[(d.t.pos[id] >> 2)];
  return off === 0 || (d.t.strs[off] === 0 && resolve(d, id, d.identNames) === 0);
}

/** The struct/union/enum tag to print for id. */
export function typeName(d: DumpState, id: number): string {
  return text(d, id, resolve(d, id, d.typeNames));
}

/** The typedef name to print for id. */
export function identName(d: DumpState, id: number): string {
  return text(d, id, resolve(d, id, d.identNames));
}
