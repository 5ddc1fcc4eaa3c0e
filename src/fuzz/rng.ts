/**
 * A small seeded PRNG for the fuzz harness.
 *
 * Every case gets its own generator derived from (seed, case index), not a
 * slice of one long stream: a failing case then reproduces by running that
 * index alone, without replaying the cases before it.
 *
 * The generator is xoshiro128** (32-bit arithmetic only, so no BigInt in the
 * hot loop); its state is filled by splitmix32, which also mixes the seed
 * and index so that neighbouring indexes give unrelated streams.
 */

/** One splitmix32 step: returns [output, next state]. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return [z, next];
}

/** Murmur3's finaliser: a cheap bijective mix of a 32-bit value. */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    let out: number;
    [out, s] = splitmix32(s);
    this.a = out;
    [out, s] = splitmix32(s);
    this.b = out;
    [out, s] = splitmix32(s);
    this.c = out;
    [out, s] = splitmix32(s);
    this.d = out;
    // xoshiro's all-zero state is a fixed point; splitmix cannot produce
    // four zeros in a row, but make the invariant explicit.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c = (this.c ^ this.a) >>> 0;
    this.d = (this.d ^ this.b) >>> 0;
    this.b = (this.b ^ this.c) >>> 0;
    this.a = (this.a ^ this.d) >>> 0;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.u32() / 0x1_0000_0000;
  }

  /** An integer in [0, n). n must be a positive integer (up to 2^32). */
  below(n: number): number {
    // The bias of the multiply-shift method is below 2^-32 * n: irrelevant
    // for picking mutation sites.
    return Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi], both inclusive. */
  range(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick from an empty list');
    return items[this.below(items.length)];
  }

  /** Fill `out` with random bytes. */
  fill(out: Uint8Array): Uint8Array {
    for (let i = 0; i < out.length; i += 4) {
      let v = this.u32();
      for (let j = i; j < i + 4 && j < out.length; j++, v >>>= 8) out[j] = v & 0xff;
    }
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** The generator for one case: a function of the run seed and the case index. */
export function caseRng(seed: number, index: number): Rng {
  return new Rng(mix32((mix32(seed >>> 0) + Math.imul(index >>> 0, 0x9e3779b1)) >>> 0) ^ (Math.floor(index / 0x1_0000_0000) >>> 0));
}
