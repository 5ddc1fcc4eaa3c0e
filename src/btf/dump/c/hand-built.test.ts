/**
 * The C dumper on hand-built BTF, for shapes clang does not emit from one
 * C file: name clashes between definitions, FWD next to the full type,
 * enums of odd sizes, padding-only structs, a 32-bit target, compiler
 * built-in typedefs, unsatisfiable cycles. Each case is written as raw
 * BTF in both byte orders and compared with bpftool 7.1's `format c`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BpfkitError } from '../../../internal/errors.js';
import { StringTable } from '../../../internal/strings.js';
import { which } from '../../../test-support/corpus.js';
import { Btf, encodeBtf, Kind, parseBtf, type AnyBtfType, type Member } from '../../index.js';
import { dumpC } from './index.js';

const bpftool = which('bpftool');
if (bpftool === undefined) console.warn('SKIP hand-built C dump tests: bpftool is not installed');

const c = { nameOff: 0, kflag: false };
const int = (id: number, name: string, size = 4, encoding = 1): AnyBtfType => ({
  id,
  kind: Kind.Int,
  name,
  ...c,
  vlen: 0,
  size,
  encoding,
  bitsOffset: 0,
  bits: size * 8,
  reservedBits: 0,
});
const m = (name: string, type: number, bitsOffset: number, bitfieldSize = 0): Member => ({ name, nameOff: 0, type, bitsOffset, bitfieldSize });
const struct = (id: number, name: string, size: number, members: Member[], kflag = false): AnyBtfType => ({
  id,
  kind: Kind.Struct,
  name,
  nameOff: 0,
  kflag,
  size,
  members,
});
const ref = (id: number, kind: Kind.Ptr | Kind.Typedef | Kind.Const | Kind.Volatile | Kind.Restrict | Kind.TypeTag, type: number, name = ''): AnyBtfType => ({
  id,
  kind,
  name,
  ...c,
  vlen: 0,
  type,
});
const enm = (id: number, name: string, size: number, values: [string, number][], signed = false): AnyBtfType => ({
  id,
  kind: Kind.Enum,
  name,
  nameOff: 0,
  kflag: signed,
  size,
  values: values.map(([n, value]) => ({ name: n, nameOff: 0, value })),
});

const cases: Record<string, AnyBtfType[]> = {
  names: [
    int(1, 'int'),
    { id: 2, kind: Kind.Fwd, name: 'foo', ...c, vlen: 0, sizeOrType: 0 },
    struct(3, 'foo', 4, [m('a', 1, 0)]),
    struct(4, 'foo', 8, [m('b', 1, 0)]),
    struct(5, 'padonly', 16, []),
    enm(6, 'fe', 4, []),
    enm(7, 'fe', 4, [['X', 1]]),
    enm(8, 'fe', 4, [['X', 2]]),
    ref(9, Kind.Typedef, 1, 'X'),
    struct(10, 'outer', 16, [m('in', 11, 0)]),
    struct(11, '', 16, []),
    { id: 12, kind: Kind.TypeTag, name: 'user', nameOff: 0, kflag: true, vlen: 0, type: 1 },
    ref(13, Kind.Ptr, 12),
    ref(14, Kind.Typedef, 13, 'tp'),
    enm(15, 'sm', 2, [['Y', 1]]),
    enm(16, 'bg', 8, [['Z', 1]]),
    { id: 17, kind: Kind.Enum64, name: 'bg64', ...c, size: 8, values: [{ name: 'W', nameOff: 0, value: 1n }] },
    struct(18, 'foo', 8, [m('f', 2, 0)]),
    ref(19, Kind.Typedef, 3, 'foo'),
    ref(20, Kind.Typedef, 1, 'foo'),
    ref(21, Kind.Typedef, 1, 'Y'),
    enm(22, '', 4, [['TOP_ANON', 5], ['X', -3]], true),
    enm(23, '', 1, [['IN_TD', 255]]),
    ref(24, Kind.Typedef, 23, 'in_td_t'),
    { id: 25, kind: Kind.Enum64, name: 'neg64', nameOff: 0, kflag: true, size: 8, values: [{ name: 'N', nameOff: 0, value: -5n }, { name: 'B', nameOff: 0, value: 1n << 40n }] },
  ],
  builtins: [
    int(1, 'int'),
    { id: 2, kind: Kind.Struct, name: '__va_list_tag', ...c, size: 24, members: [m('gp_offset', 1, 0)] },
    ref(3, Kind.Typedef, 2, '__builtin_va_list'),
    ref(4, Kind.Typedef, 3, 'va_list'),
    ref(5, Kind.Typedef, 0, '__gnuc_va_list'),
    int(6, '__Poly8_t', 1, 0),
    ref(7, Kind.Typedef, 6, 'poly_t'),
    { id: 8, kind: Kind.Float, name: 'double', ...c, vlen: 0, size: 8 },
    { id: 9, kind: Kind.FuncProto, name: '', ...c, returnType: 1, params: [{ name: 'fmt', nameOff: 0, type: 10 }, { name: '', nameOff: 0, type: 0 }] },
    ref(10, Kind.Ptr, 11),
    ref(11, Kind.Const, 12),
    int(12, 'char', 1, 2),
    { id: 13, kind: Kind.Func, name: 'printk', ...c, type: 9, linkage: 2 },
    { id: 14, kind: Kind.FuncProto, name: '', ...c, returnType: 0, params: [] },
    ref(15, Kind.Ptr, 14),
    ref(16, Kind.Typedef, 15, 'noargs_fn'),
    { id: 17, kind: Kind.Var, name: 'v', ...c, vlen: 0, type: 8, linkage: 1 },
    { id: 18, kind: Kind.Datasec, name: '.data', ...c, size: 8, vars: [{ type: 17, offset: 0, size: 8 }] },
    { id: 19, kind: Kind.DeclTag, name: 'tag', ...c, vlen: 0, type: 2, componentIdx: 0 },
    ref(20, Kind.Ptr, 9),
    { id: 21, kind: Kind.Array, name: '', ...c, vlen: 0, sizeOrType: 0, type: 20, indexType: 1, nelems: 4 },
    struct(22, 'holder', 56, [m('fps', 21, 0), m('d', 8, 256), m('va', 4, 320)]),
    ref(23, Kind.Restrict, 10),
    ref(24, Kind.Volatile, 23),
    ref(25, Kind.Typedef, 24, 'rv_t'),
  ],
  // A 32-bit target: `long` is 4 bytes, so padding uses 32-bit longs.
  ilp32: [
    int(1, 'long int', 4),
    int(2, 'char', 1, 2),
    ref(3, Kind.Ptr, 2),
    struct(4, 'p32', 24, [m('c', 2, 0), m('p', 3, 32), m('bf', 1, 64, 3), m('bf2', 1, 100, 5)], true),
  ],
  bitfields: [
    int(1, 'unsigned int', 4, 0),
    enm(2, 'e', 4, [['E1', 1]]),
    ref(3, Kind.Typedef, 1, 'u32_t'),
    int(4, 'long long unsigned int', 8, 0),
    struct(5, 'bf', 32, [m('a', 1, 0, 1), m('b', 2, 5, 3), m('c', 3, 40, 20), m('d', 4, 100, 33), m('e', 1, 192, 0)], true),
    struct(6, 'gap_only', 12, [m('x', 1, 64)]),
    struct(7, 'misaligned', 9, [m('c', 4, 8)]),
  ],
  // An INT's name takes a slot in the tag namespace when it is emitted.
  'int-tag-clash': [int(1, 'foo'), struct(2, 'foo', 4, [m('x', 1, 0)]), struct(3, 'user', 8, [m('a', 1, 0), m('s', 2, 32)]), struct(4, 'foo', 4, [])],
  // struct A embeds B which embeds A: no C order exists.
  'strong-cycle': [int(1, 'int'), struct(2, 'A', 8, [m('b', 3, 0)]), struct(3, 'B', 8, [m('a', 2, 0)])],
  // An anonymous struct pointing to itself cannot be forward-declared.
  'anon-cycle': [int(1, 'int'), struct(2, '', 8, [m('self', 3, 0)]), ref(3, Kind.Ptr, 2), ref(4, Kind.Typedef, 2, 'anon_t')],
};

function bytesOf(types: AnyBtfType[], littleEndian: boolean): Uint8Array {
  return encodeBtf(new Btf({ types, strings: new StringTable(new Uint8Array(0)), littleEndian }));
}

describe.skipIf(bpftool === undefined)('C dump of hand-built BTF matches bpftool 7.1', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-c-hand-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  for (const le of [true, false]) {
    for (const [name, types] of Object.entries(cases)) {
      it(`${name} (${le ? 'little' : 'big'}-endian)`, () => {
        const bytes = bytesOf(types, le);
        const p = join(tmp, `${name}.${le ? 'le' : 'be'}.btf`);
        writeFileSync(p, bytes);
        const r = spawnSync(bpftool!, ['btf', 'dump', 'file', p, 'format', 'c'], { maxBuffer: 1 << 30 });
        if (r.status !== 0) {
          expect(() => dumpC(parseBtf(bytes))).toThrow(BpfkitError);
          return;
        }
        const mine = Buffer.from(dumpC(parseBtf(bytes)));
        if (!mine.equals(r.stdout)) expect(mine.toString('latin1')).toBe(r.stdout.toString('latin1'));
      });
    }
  }
});
