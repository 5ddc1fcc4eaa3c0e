/**
 * The TS generator on hostile BTF that parses: cycles, deep chains,
 * exponential sharing of anonymous members and enormous output end in a
 * BpfkitError naming a type (or TOO_LARGE), never a stack overflow or hang.
 */
import { describe, expect, it } from 'vitest';
import { BpfkitError } from '../../../internal/errors.js';
import { StringTable } from '../../../internal/strings.js';
import { Btf, encodeBtf, Kind, parseBtf, type AnyBtfType } from '../../index.js';
import { dumpTs } from './index.js';

const base = { nameOff: 0, kflag: false };
const int = (id: number, name = 'int'): AnyBtfType => ({ id, kind: Kind.Int, name, ...base, vlen: 0, size: 4, encoding: 1, bitsOffset: 0, bits: 32, reservedBits: 0 });
const ref = (id: number, kind: Kind.Typedef | Kind.Const, type: number, name = ''): AnyBtfType => ({ id, kind, name, ...base, vlen: 0, type });
const arr = (id: number, type: number, nelems = 2): AnyBtfType => ({ id, kind: Kind.Array, name: '', ...base, vlen: 0, sizeOrType: 0, type, indexType: 1, nelems });
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

function failure(fn: () => unknown): BpfkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BpfkitError);
    return e as BpfkitError;
  }
  throw new Error('dumpTs did not throw');
}

describe('dumpTs limits', () => {
  it('refuses an array whose element type leads back to it, naming a type', () => {
    // struct s { int2 a; } with [3] = [4][2], [4] = const [3].
    const e = failure(() => dumpTs(btfOf([int(1), struct(2, 's', 8, [['a', 3, 0]]), arr(3, 4), ref(4, Kind.Const, 3)])));
    expect(e.code).toBe('BAD_VALUE');
    expect([3, 4]).toContain(e.typeId);
    // A typedef of it has no size, so no codec: the type alone is emitted.
    expect(dumpTs(btfOf([int(1), ref(2, Kind.Typedef, 3, 't'), arr(3, 4), ref(4, Kind.Const, 3)]))).toContain('export type t = ');
  });

  it('refuses a typedef cycle and a 10,000-long typedef chain with a type id', () => {
    const e = failure(() => dumpTs(btfOf([int(1), ref(2, Kind.Typedef, 3, 'a'), ref(3, Kind.Typedef, 2, 'b'), struct(4, 's', 4, [['x', 2, 0]])])));
    expect(e.typeId).toBeDefined();
    const types: AnyBtfType[] = [];
    for (let id = 1; id <= 10_000; id++) types.push(ref(id, Kind.Typedef, id + 1, `t${id}`));
    types.push(int(10_001));
    expect(failure(() => dumpTs(btfOf(types))).typeId).toBeDefined();
  });

  it('flattens anonymous members that share types (or contain themselves) in linear time', () => {
    // [2] has two anonymous members of type [3], which has two of [4], ...:
    // 2^28 paths through 28 types (flattening stops 32 deep).
    const types: AnyBtfType[] = [int(1), struct(2, 'top', 8, [['', 3, 0], ['', 3, 0]])];
    for (let id = 3; id < 30; id++) types.push(struct(id, '', 8, [['', id + 1, 0], ['', id + 1, 0], [`m${id}`, 1, 0]]));
    types.push(struct(30, '', 8, [['', 30, 0], ['leaf', 1, 32]]));
    const t0 = performance.now();
    const ts = dumpTs(btfOf(types));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(ts).toContain('export interface top {');
    expect(ts).toContain('  leaf: number;');
    expect(ts.match(/ {2}m3: number;/g)).toHaveLength(1);
  });

  it('names thousands of same-named types without quadratic time', () => {
    const types: AnyBtfType[] = [int(1)];
    for (let id = 2; id < 20_002; id++) types.push(struct(id, 'dup', 4, [['x', 1, 0]]));
    const t0 = performance.now();
    const ts = dumpTs(btfOf(types));
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(ts).toContain('export interface dup__struct_19999 {');
  });

  it('stops at maxBytes with TOO_LARGE', () => {
    const types: AnyBtfType[] = [int(1)];
    for (let id = 2; id < 200; id++) types.push(struct(id, `s${id}`, 4, [['x', 1, 0]]));
    const btf = btfOf(types);
    const full = dumpTs(btf);
    expect(failure(() => dumpTs(btf, { maxBytes: full.length - 1 })).code).toBe('TOO_LARGE');
    expect(dumpTs(btf, { maxBytes: full.length })).toBe(full);
  });
});
