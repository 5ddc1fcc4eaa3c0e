/**
 * The C dump on hostile BTF that parses: type cycles, very deep chains,
 * exponential sharing and enormous output end in a BpfkitError naming a
 * type (or TOO_LARGE), never in a stack overflow, a hang or a giant buffer.
 */
import { describe, expect, it } from 'vitest';
import { BpfkitError } from '../../../internal/errors.js';
import { StringTable } from '../../../internal/strings.js';
import { Btf, encodeBtf, Kind, parseBtf, type AnyBtfType } from '../../index.js';
import { dumpC } from './index.js';

const base = { nameOff: 0, kflag: false };
const int = (id: number, name = 'int'): AnyBtfType => ({ id, kind: Kind.Int, name, ...base, vlen: 0, size: 4, encoding: 1, bitsOffset: 0, bits: 32, reservedBits: 0 });
const ref = (id: number, kind: Kind.Ptr | Kind.Typedef | Kind.Const | Kind.Volatile, type: number, name = ''): AnyBtfType => ({ id, kind, name, ...base, vlen: 0, type });
const arr = (id: number, type: number, nelems = 2): AnyBtfType => ({ id, kind: Kind.Array, name: '', ...base, vlen: 0, sizeOrType: 0, type, indexType: 1, nelems });
const proto = (id: number, params: number[]): AnyBtfType => ({
  id,
  kind: Kind.FuncProto,
  name: '',
  ...base,
  returnType: 1,
  params: params.map((type) => ({ name: '', nameOff: 0, type })),
});
const struct = (id: number, name: string, size: number, members: [string, number, number][]): AnyBtfType => ({
  id,
  kind: Kind.Struct,
  name,
  ...base,
  size,
  members: members.map(([n, type, bitsOffset]) => ({ name: n, nameOff: 0, type, bitsOffset, bitfieldSize: 0 })),
});

function btfOf(types: AnyBtfType[]): Btf {
  return parseBtf(encodeBtf(new Btf({ types, strings: new StringTable(new Uint8Array(0)), littleEndian: true })));
}

/** dumpC's error, which must be a BpfkitError. */
function failure(btf: Btf, maxBytes?: number): BpfkitError {
  try {
    dumpC(btf, { maxBytes });
  } catch (e) {
    expect(e).toBeInstanceOf(BpfkitError);
    return e as BpfkitError;
  }
  throw new Error('dumpC did not throw');
}

describe('dumpC limits', () => {
  it('refuses a cycle through arrays and modifiers, naming a type', () => {
    // [2] int[2] of [3] const [2]: no struct or typedef to stop at.
    const e = failure(btfOf([int(1), arr(2, 3), ref(3, Kind.Const, 2)]));
    expect(e.code).toBe('BAD_VALUE');
    expect([2, 3]).toContain(e.typeId);
  });

  it('refuses a typedef cycle and an anonymous struct that contains itself through a pointer', () => {
    const e = failure(btfOf([int(1), ref(2, Kind.Typedef, 3, 'a'), ref(3, Kind.Typedef, 2, 'b')]));
    expect(e.typeId).toBeDefined();
    const f = failure(btfOf([int(1), struct(2, '', 8, [['self', 3, 0]]), ref(3, Kind.Ptr, 2), ref(4, Kind.Typedef, 2, 'anon_t')]));
    expect(f.typeId).toBeDefined();
  });

  it('ends a 30,000-long typedef chain with a BpfkitError, not a stack overflow', () => {
    // Each typedef names the next one: ordering id 1 walks the whole chain.
    const n = 30_000;
    const types: AnyBtfType[] = [];
    for (let id = 1; id <= n; id++) types.push(ref(id, Kind.Typedef, id + 1, `t${id}`));
    types.push(int(n + 1));
    const e = failure(btfOf(types));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.typeId).toBeGreaterThan(0);
    // In the other order every typedef's target is already defined.
    const forward: AnyBtfType[] = [int(1)];
    for (let id = 2; id <= n + 1; id++) forward.push(ref(id, Kind.Typedef, id - 1, `t${id}`));
    expect(Buffer.from(dumpC(btfOf(forward))).toString()).toContain(`typedef t${n} t${n + 1};`);
  });

  it('ends a 100,000-long pointer/array declarator chain with a BpfkitError', () => {
    const types: AnyBtfType[] = [int(1)];
    for (let id = 2; id <= 100_001; id++) types.push(id % 2 === 0 ? arr(id, id - 1) : ref(id, Kind.Ptr, id - 1));
    types.push(ref(100_002, Kind.Typedef, 100_001, 'deep'));
    const e = failure(btfOf(types));
    expect(e.typeId).toBeDefined();
  });

  it('bounds the walk over prototypes that share their parameter types', () => {
    // proto k takes two (const) proto k-1: 2^60 paths without memoisation.
    const types: AnyBtfType[] = [int(1), proto(2, [1, 1])];
    let prev = 2;
    for (let k = 0; k < 60; k++) {
      const c = types.length + 1;
      types.push(ref(c, Kind.Const, prev), proto(c + 1, [c, c]));
      prev = c + 1;
    }
    types.push(ref(types.length + 1, Kind.Ptr, prev), ref(types.length + 2, Kind.Typedef, types.length + 1, 'fn_t'));
    const t0 = performance.now();
    const e = failure(btfOf(types));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.typeId).toBeDefined();
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('stops enormous padding at maxBytes with TOO_LARGE', () => {
    // A member 2^32-1 bits in: libbpf prints ~67 million padding lines.
    const btf = btfOf([int(1), struct(2, 'huge', 0x20000000, [['x', 1, 0xffffffe0]])]);
    const e = failure(btf, 1 << 20);
    expect(e.code).toBe('TOO_LARGE');
    expect(e.typeId).toBe(2);
    expect(Buffer.from(dumpC(btfOf([int(1), struct(2, 's', 4, [['x', 1, 0]])]), { maxBytes: 1 << 20 })).toString()).toContain('struct s {');
  });

  it('numbers the 70,000th struct of one name ___70000 (suffixes past 16 bits)', () => {
    // libbpf: the n-th definition of a name in the tag namespace is name___n.
    const n = 70_000;
    const types: AnyBtfType[] = [int(1)];
    // Each struct points to itself, so its name is printed a second time
    // from the resolved-name cache.
    for (let k = 0; k < n; k++) {
      const id = types.length + 1;
      types.push(struct(id, 's', 8, [['self', id + 1, 0]]), ref(id + 1, Kind.Ptr, id));
    }
    const text = Buffer.from(dumpC(btfOf(types))).toString();
    const defs = [...text.matchAll(/^struct (s(?:___\d+)?) \{\n\tstruct (s(?:___\d+)?) \*self;$/gm)];
    expect(defs.every((m) => m[1] === m[2])).toBe(true);
    const names = defs.map((m) => m[1]);
    expect(names.length).toBe(n);
    expect(names[0]).toBe('s');
    for (const k of [2, 65_534, 65_535, 65_536, 65_537, n]) expect(names[k - 1]).toBe(`s___${k}`);
    expect(new Set(names).size).toBe(n);
  });
});
