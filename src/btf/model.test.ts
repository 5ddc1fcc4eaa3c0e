/**
 * The BTF model and encoder on hand-built types: every kind in both byte
 * orders, longer headers, the layout section with a kind newer than this
 * code, the 24-bit vlen, and split BTF. Expected values come from the
 * definitions written here, not from bpfkit's output.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StringTable } from '../internal/strings.js';
import { which } from '../test-support/corpus.js';
import { Btf, dumpRaw, encodeBtf, Kind, parseBtf, type AnyBtfType } from './index.js';

const common = { nameOff: 0, kflag: false };

/** One type of every kind, referring to each other by id. */
function everyKind(): AnyBtfType[] {
  return [
    { id: 1, kind: Kind.Int, name: 'int', ...common, vlen: 0, size: 4, encoding: 1, bitsOffset: 0, bits: 32, reservedBits: 0 },
    { id: 2, kind: Kind.Ptr, name: '', ...common, vlen: 0, type: 1 },
    { id: 3, kind: Kind.Array, name: '', ...common, vlen: 0, sizeOrType: 0, type: 1, indexType: 1, nelems: 7 },
    {
      id: 4,
      kind: Kind.Struct,
      name: 'pair',
      nameOff: 0,
      kflag: true,
      size: 8,
      members: [
        { name: 'a', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 3 },
        { name: 'b', nameOff: 0, type: 1, bitsOffset: 32, bitfieldSize: 0 },
      ],
    },
    { id: 5, kind: Kind.Union, name: 'u', ...common, size: 4, members: [{ name: 'x', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 0 }] },
    {
      id: 6,
      kind: Kind.Enum,
      name: 'e',
      nameOff: 0,
      kflag: true,
      size: 4,
      values: [
        { name: 'NEG', nameOff: 0, value: -5 },
        { name: 'POS', nameOff: 0, value: 2147483647 },
      ],
    },
    { id: 7, kind: Kind.Fwd, name: 'later', nameOff: 0, kflag: true, vlen: 0, sizeOrType: 0 },
    { id: 8, kind: Kind.Typedef, name: 'int_t', ...common, vlen: 0, type: 1 },
    { id: 9, kind: Kind.Volatile, name: '', ...common, vlen: 0, type: 8 },
    { id: 10, kind: Kind.Const, name: '', ...common, vlen: 0, type: 9 },
    { id: 11, kind: Kind.Restrict, name: '', ...common, vlen: 0, type: 2 },
    { id: 12, kind: Kind.Func, name: 'f', ...common, type: 13, linkage: 1 },
    { id: 13, kind: Kind.FuncProto, name: '', ...common, returnType: 1, params: [{ name: 'p', nameOff: 0, type: 2 }] },
    { id: 14, kind: Kind.Var, name: 'v', ...common, vlen: 0, type: 1, linkage: 1 },
    { id: 15, kind: Kind.Datasec, name: '.data', ...common, size: 4, vars: [{ type: 14, offset: 0, size: 4 }] },
    { id: 16, kind: Kind.Float, name: 'double', ...common, vlen: 0, size: 8 },
    { id: 17, kind: Kind.DeclTag, name: 'tag', ...common, vlen: 0, type: 4, componentIdx: -1 },
    { id: 18, kind: Kind.TypeTag, name: 'user', ...common, vlen: 0, type: 1 },
    {
      id: 19,
      kind: Kind.Enum64,
      name: 'e64',
      ...common,
      size: 8,
      values: [
        { name: 'BIG', nameOff: 0, value: 0xfffffffffffffff0n },
        { name: 'SMALL', nameOff: 0, value: 3n },
      ],
    },
  ];
}

function fresh(types: AnyBtfType[], littleEndian = true, base?: Btf): Btf {
  return new Btf({ types, strings: new StringTable(new Uint8Array(0)), littleEndian, base });
}

/** The model as parsed back, minus the string offsets the encoder chose. */
function shape(types: AnyBtfType[]): unknown {
  return JSON.parse(
    JSON.stringify(types, (k, v) => (k === 'nameOff' ? undefined : typeof v === 'bigint' ? v.toString() : v)),
  );
}

describe('BTF model', () => {
  for (const le of [true, false]) {
    it(`every kind encodes and decodes (${le ? 'little' : 'big'} endian)`, () => {
      const bytes = encodeBtf(fresh(everyKind(), le));
      expect(bytes[0]).toBe(le ? 0x9f : 0xeb);
      const back = parseBtf(bytes);
      expect(back.littleEndian).toBe(le);
      expect(back.ownCount).toBe(19);
      expect(shape(back.types)).toEqual(shape(everyKind()));
      // Re-encoding what was read gives the same bytes.
      expect(Buffer.from(encodeBtf(back)).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('lookups by name and id', () => {
    const btf = parseBtf(encodeBtf(fresh(everyKind())));
    expect(btf.find('pair')?.id).toBe(4);
    expect(btf.find('int_t', Kind.Typedef)?.id).toBe(8);
    expect(btf.find('int_t', Kind.Struct)).toBeUndefined();
    expect(btf.type(0)).toBeUndefined();
    expect(() => btf.type(20)).toThrow(/type id 20 does not exist/);
    expect([...btf].map((t) => t.id)).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
  });

  it('a header longer than 24 bytes is honoured and kept', () => {
    const std = encodeBtf(fresh(everyKind()));
    // Insert 4 extra (zero) header bytes: hdr_len 28; offsets stay relative to the header's end.
    const long = new Uint8Array(std.byteLength + 4);
    long.set(std.subarray(0, 24));
    long.set(std.subarray(24), 28);
    new DataView(long.buffer).setUint32(4, 28, true);
    const btf = parseBtf(long);
    expect(btf.header?.hdrLen).toBe(28);
    expect(btf.ownCount).toBe(19);
    void btf.types;
    expect(Buffer.from(encodeBtf(btf)).equals(Buffer.from(long))).toBe(true);
  });

  it('a layout section lets an unknown kind be skipped and kept', () => {
    // hdr_len 32; types: INT, then kind 25 (unknown) with 4+2*8 bytes, then a PTR to the INT.
    const le = true;
    const strs = Buffer.from('\0int\0future\0', 'latin1');
    const types: number[] = [];
    const u32 = (...v: number[]): void => void types.push(...v);
    u32(1, (1 << 24) >>> 0, 4, 32); // INT 'int' size 4, 32 bits
    u32(5, ((25 << 24) | 2) >>> 0, 0xabc, 0x11111111, 1, 2, 3, 4); // kind 25, vlen 2, info 4 + 2*8
    u32(0, (2 << 24) >>> 0, 1); // PTR -> 1
    const layout: [number, number][] = Array.from({ length: 26 }, () => [0, 0]);
    layout[25] = [4, 8];
    const typeLen = types.length * 4;
    const layoutLen = layout.length * 4;
    const total = 32 + typeLen + strs.length + layoutLen;
    const b = new Uint8Array(total);
    const v = new DataView(b.buffer);
    v.setUint16(0, 0xeb9f, le);
    v.setUint8(2, 1);
    v.setUint32(4, 32, le);
    v.setUint32(8, 0, le);
    v.setUint32(12, typeLen, le);
    v.setUint32(16, typeLen, le);
    v.setUint32(20, strs.length, le);
    v.setUint32(24, typeLen + strs.length, le);
    v.setUint32(28, layoutLen, le);
    types.forEach((w, i) => v.setUint32(32 + i * 4, w, le));
    b.set(strs, 32 + typeLen);
    layout.forEach(([info, elem], i) => {
      v.setUint8(32 + typeLen + strs.length + i * 4, info);
      v.setUint8(32 + typeLen + strs.length + i * 4 + 1, elem);
    });
    const btf = parseBtf(b);
    expect(btf.ownCount).toBe(3);
    const future = btf.type(2)!;
    expect(future).toMatchObject({ kind: Kind.Unknown, rawKind: 25 });
    expect(future.name).toBe('future');
    expect(btf.type(3)).toMatchObject({ kind: Kind.Ptr, type: 1 });
    expect(Buffer.from(dumpRaw(btf)).toString()).toContain("[2] UNKNOWN 'future'\n[3] PTR '(anon)' type_id=1\n");
    void btf.types;
    expect(Buffer.from(encodeBtf(btf)).equals(Buffer.from(b))).toBe(true);
    // Without the layout section the same kind is an error naming the type.
    const noLayout = b.slice(0, 32 + typeLen + strs.length);
    new DataView(noLayout.buffer).setUint32(28, 0, le);
    expect(() => parseBtf(noLayout)).toThrow(/unknown BTF kind 25.*type \[2\]|type \[2\].*unknown BTF kind 25/);
  });

  it('vlen uses 24 bits (enums with more than 65535 values)', () => {
    const values = Array.from({ length: 70000 }, (_, i) => ({ name: `V${i}`, nameOff: 0, value: i }));
    const btf = fresh([{ id: 1, kind: Kind.Enum, name: 'huge', nameOff: 0, kflag: false, size: 4, values }]);
    const back = parseBtf(encodeBtf(btf));
    const t = back.type(1)!;
    expect(t.kind).toBe(Kind.Enum);
    if (t.kind === Kind.Enum) {
      expect(t.values.length).toBe(70000);
      expect(t.values[69999]).toMatchObject({ name: 'V69999', value: 69999 });
    }
  });

  it('split BTF continues ids and string offsets from its base', () => {
    const base = parseBtf(encodeBtf(fresh(everyKind())));
    const mod = fresh(
      [
        { id: 20, kind: Kind.Ptr, name: '', nameOff: 0, kflag: false, vlen: 0, type: 4 },
        { id: 21, kind: Kind.Typedef, name: 'pair_ptr', nameOff: 0, kflag: false, vlen: 0, type: 20 },
        // Reuses a base string by its offset in the base table.
        { id: 22, kind: Kind.Typedef, name: 'pair', nameOff: base.type(4)!.nameOff, kflag: false, vlen: 0, type: 4 },
      ],
      true,
      base,
    );
    const bytes = encodeBtf(mod);
    const back = parseBtf(bytes, { base });
    expect(back.firstId).toBe(20);
    expect(back.type(21)).toMatchObject({ name: 'pair_ptr', type: 20 });
    expect(back.type(22)).toMatchObject({ name: 'pair', nameOff: base.type(4)!.nameOff });
    expect(back.type(4)).toMatchObject({ name: 'pair' }); // resolved through the base
    expect(back.type(21)!.nameOff).toBeGreaterThanOrEqual(base.strings.size);
    expect(() => parseBtf(bytes)).toThrow(); // without its base the ids dangle
  });
});

const bpftool = which('bpftool');
describe.skipIf(bpftool === undefined)('hand-built BTF against bpftool', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-model-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  for (const le of [true, false]) {
    it(`every kind dumps like bpftool (${le ? 'el' : 'eb'})`, () => {
      const btf = parseBtf(encodeBtf(fresh(everyKind(), le)));
      const p = join(tmp, `every-${le}.btf`);
      writeFileSync(p, encodeBtf(btf));
      const r = spawnSync(bpftool!, ['btf', 'dump', 'file', p]);
      expect(r.status).toBe(0);
      expect(Buffer.from(dumpRaw(btf)).toString('latin1')).toBe(r.stdout.toString('latin1'));
    });
  }
});

describe('type index sizing', () => {
  it('indexes BTF made only of 12-byte records (more records than the first estimate holds)', () => {
    // int, then 999 pointers each to the previous type: every record is the
    // 12-byte minimum, so the index must grow past its len/20 start.
    const types: AnyBtfType[] = [
      { id: 1, kind: Kind.Int, name: 'int', nameOff: 0, kflag: false, vlen: 0, size: 4, encoding: 1, bitsOffset: 0, bits: 32, reservedBits: 0 },
    ];
    for (let id = 2; id <= 1000; id++) types.push({ id, kind: Kind.Ptr, name: '', nameOff: 0, kflag: false, vlen: 0, type: id - 1 });
    const bytes = encodeBtf(new Btf({ types, strings: new StringTable(new Uint8Array([0])), littleEndian: true }));
    const btf = parseBtf(bytes);
    expect(btf.ownCount).toBe(1000);
    expect(btf.type(1000)).toMatchObject({ kind: Kind.Ptr, type: 999 });
    expect(btf.type(2)).toMatchObject({ kind: Kind.Ptr, type: 1 });
  });
});
