/**
 * Bad BTF and .BTF.ext input: each problem is one BpfkitError with a stable
 * code and a location (type id and/or byte offset), never another exception.
 */
import { describe, expect, it } from 'vitest';
import { BpfkitError } from '../internal/errors.js';
import { StringTable } from '../internal/strings.js';
import { Btf, encodeBtf, Kind, parseBtf, parseBtfExt, btfFromBytes } from './index.js';

function sample(): Uint8Array {
  const btf = new Btf({
    types: [
      { id: 1, kind: Kind.Int, name: 'int', nameOff: 0, kflag: false, vlen: 0, size: 4, encoding: 1, bitsOffset: 0, bits: 32, reservedBits: 0 },
      {
        id: 2,
        kind: Kind.Struct,
        name: 's',
        nameOff: 0,
        kflag: false,
        size: 8,
        members: [
          { name: 'a', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 0 },
          { name: 'b', nameOff: 0, type: 1, bitsOffset: 32, bitfieldSize: 0 },
        ],
      },
    ],
    strings: new StringTable(new Uint8Array(0)),
    littleEndian: true,
  });
  return encodeBtf(btf);
}

function err(f: () => unknown): BpfkitError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BpfkitError);
    return e as BpfkitError;
  }
  throw new Error('expected a BpfkitError, nothing was thrown');
}

const set32 = (b: Uint8Array, at: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);

describe('bad BTF', () => {
  it('the sample is valid', () => {
    expect(parseBtf(sample()).ownCount).toBe(2);
  });

  it('bad magic', () => {
    const b = sample();
    b[0] = 0;
    expect(err(() => parseBtf(b, { file: 'x.btf' }))).toMatchObject({ code: 'BAD_MAGIC', file: 'x.btf', offset: 0 });
  });

  it('unknown version', () => {
    const b = sample();
    b[2] = 2;
    expect(err(() => parseBtf(b))).toMatchObject({ code: 'BAD_VERSION', offset: 2 });
  });

  it('hdr_len too short or past the end', () => {
    const b = sample();
    set32(b, 4, 8);
    expect(err(() => parseBtf(b)).code).toBe('BAD_VALUE');
    const c = sample();
    set32(c, 4, 0xffffff00);
    expect(err(() => parseBtf(c)).code).toBe('TRUNCATED');
  });

  it('type section past the end, even with 32-bit overflow', () => {
    const b = sample();
    set32(b, 12, 0xfffffff0);
    expect(err(() => parseBtf(b))).toMatchObject({ code: 'TRUNCATED' });
    const c = sample();
    set32(c, 8, 0xffffffff);
    expect(err(() => parseBtf(c)).code).toBe('TRUNCATED');
  });

  it('truncated at every length', () => {
    const b = sample();
    for (let n = 0; n < b.byteLength; n++) {
      const e = err(() => parseBtf(b.subarray(0, n)));
      expect(['TRUNCATED', 'BAD_MAGIC', 'BAD_VALUE']).toContain(e.code);
    }
  });

  it('a huge vlen is refused before anything is allocated', () => {
    const b = sample();
    // type 2 starts after type 1 (16 bytes); its info word is at +4.
    set32(b, 24 + 16 + 4, ((Kind.Struct << 24) | 0xffffff) >>> 0);
    expect(err(() => parseBtf(b))).toMatchObject({ code: 'TRUNCATED', typeId: 2, offset: 24 + 16 });
  });

  it('an unknown kind names the type and offset', () => {
    const b = sample();
    set32(b, 24 + 16 + 4, (30 << 24) >>> 0);
    expect(err(() => parseBtf(b))).toMatchObject({ code: 'BAD_KIND', typeId: 2, offset: 24 + 16 + 4 });
    const c = sample();
    set32(c, 24 + 4, 0); // kind 0 (UNKN)
    expect(err(() => parseBtf(c))).toMatchObject({ code: 'BAD_KIND', typeId: 1 });
  });

  it('a name offset outside the string section', () => {
    const b = sample();
    set32(b, 24 + 16 + 12, 0x7fffffff); // first member's name
    expect(err(() => parseBtf(b))).toMatchObject({ code: 'OUT_OF_RANGE', typeId: 2, offset: 24 + 16 + 12 });
  });

  it('a member type id that does not exist', () => {
    const b = sample();
    set32(b, 24 + 16 + 12 + 4, 99);
    expect(err(() => parseBtf(b))).toMatchObject({ code: 'OUT_OF_RANGE', typeId: 2 });
  });

  it('string section without terminating NUL', () => {
    const b = sample();
    b[b.byteLength - 1] = 0x41;
    expect(err(() => parseBtf(b)).code).toBe('BAD_VALUE');
  });

  it('errors from an ELF carry the file and section', () => {
    expect(err(() => btfFromBytes(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), { file: 'obj.o' }))).toMatchObject({ file: 'obj.o' });
    expect(err(() => btfFromBytes(new Uint8Array([1, 2, 3]), { file: 'junk' }))).toMatchObject({ code: 'BAD_MAGIC', file: 'junk' });
  });
});

describe('bad .BTF.ext', () => {
  function ext(): Uint8Array {
    // 32-byte header, func_info with one section of one record.
    const b = new Uint8Array(32 + 4 + 8 + 8);
    const v = new DataView(b.buffer);
    v.setUint16(0, 0xeb9f, true);
    v.setUint8(2, 1);
    v.setUint32(4, 32, true);
    v.setUint32(8, 0, true); // func_info_off
    v.setUint32(12, 20, true); // func_info_len
    v.setUint32(32, 8, true); // rec_size
    v.setUint32(36, 0, true); // sec_name_off
    v.setUint32(40, 1, true); // num_info
    v.setUint32(44, 0, true); // insn_off
    v.setUint32(48, 1, true); // type_id
    return b;
  }

  it('the sample is valid', () => {
    const e = parseBtfExt(ext());
    expect(e.funcInfo.sections[0].records).toEqual([{ insnOff: 0, typeId: 1 }]);
  });

  it('record count larger than the bytes', () => {
    const b = ext();
    set32(b, 40, 0x40000000);
    expect(err(() => parseBtfExt(b))).toMatchObject({ code: 'TOO_LARGE', offset: 40 });
  });

  it('record size smaller than the record', () => {
    const b = ext();
    set32(b, 32, 4);
    expect(err(() => parseBtfExt(b))).toMatchObject({ code: 'BAD_VALUE', offset: 32 });
  });

  it('sub-section past the end', () => {
    const b = ext();
    set32(b, 12, 1000);
    expect(err(() => parseBtfExt(b)).code).toBe('TRUNCATED');
  });

  it('string offsets are checked when a BTF is given', () => {
    const btf = parseBtf(sample());
    const b = ext();
    set32(b, 36, 0x7fff);
    expect(err(() => parseBtfExt(b, { btf, file: 'o.o' }))).toMatchObject({ code: 'OUT_OF_RANGE', file: 'o.o', section: '.BTF.ext' });
  });
});
