/**
 * Reading and rewriting integer fields of a byte buffer, and the choice of
 * boundary and overflow values to put in them: what the aimed strategies of
 * every target family have in common.
 */
import type { Rng } from '../rng.js';
import type { Width } from './mutator.js';

export function readUint(bytes: Uint8Array, at: number, width: Width, le: boolean): bigint {
  if (at < 0 || at + width > bytes.byteLength) return 0n;
  let v = 0n;
  for (let i = 0; i < width; i++) {
    const b = BigInt(bytes[le ? at + width - 1 - i : at + i]);
    v = (v << 8n) | b;
  }
  return v;
}

/** Write the low `width` bytes of `value`; writes outside the input are
 * dropped (a stacked mutation may aim at a landmark a truncation removed). */
export function writeUint(bytes: Uint8Array, at: number, width: Width, value: bigint, le: boolean): void {
  if (at < 0 || at + width > bytes.byteLength) return;
  let v = BigInt.asUintN(width * 8, value);
  for (let i = 0; i < width; i++) {
    bytes[le ? at + i : at + width - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

const SMALL = [0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 32, 64, 255];
const DELTAS = [1, -1, 2, -2, 4, -4, 8, -8, 12, -12, 16, -16];

/**
 * A replacement for a field of `width` bytes holding `old`. `hints` are
 * numbers the parser compares the field against (the input's length, a
 * table's size, the number of types): hitting them and their neighbours
 * exercises the boundary checks.
 */
export function aimedValue(rng: Rng, old: bigint, width: Width, hints: readonly number[] = []): bigint {
  const bits = BigInt(width * 8);
  const mask = (1n << bits) - 1n;
  let v: bigint;
  switch (rng.below(hints.length > 0 ? 6 : 5)) {
    case 0: {
      // Inflated: values that overflow a multiplication or an addition.
      const huge = [mask, mask >> 1n, 1n << (bits - 1n), mask - 15n];
      if (width >= 4) huge.push(0x10000000n, 0xffffffn, 0x10000n, 0x7fffffffn, 0xffffffffn, 0x80000000n);
      v = rng.pick(huge);
      break;
    }
    case 1:
      v = old + BigInt(rng.pick(DELTAS));
      break;
    case 2:
      v = BigInt(rng.pick(SMALL));
      break;
    case 3:
      v = old * 2n + (rng.chance(0.5) ? 1n : 0n);
      break;
    case 4:
      // Random, but mostly within 32 bits: an offset past 2^32 is rejected
      // as "beyond any input" before it can reach anything interesting.
      v = BigInt(rng.u32());
      if (width === 8 && rng.chance(0.25)) v |= BigInt(rng.u32()) << 32n;
      break;
    default:
      v = BigInt(rng.pick(hints)) + BigInt(rng.pick([0, 0, 1, -1, 4, -4]));
      break;
  }
  return v & mask;
}

export function copyOf(bytes: Uint8Array): Uint8Array {
  return bytes.slice();
}

/** Replace the field at `at` with an aimed value; returns the new bytes. */
export function aimField(bytes: Uint8Array, rng: Rng, at: number, width: Width, le: boolean, hints: readonly number[]): Uint8Array {
  const out = copyOf(bytes);
  writeUint(out, at, width, aimedValue(rng, readUint(bytes, at, width, le), width, hints), le);
  return out;
}
