/**
 * The module as bytes: names beyond ASCII come out as UTF-8 (BTF strings
 * are read as Latin-1, one character per byte, and the module is UTF-8),
 * the size limit counts those bytes, and a streamed module is the same
 * bytes as the returned one.
 *
 * Expected lines follow the naming rules in names.ts by hand: `café` has
 * no TS identifier form, so the type is `caf_` and the member key is a
 * quoted string; comments keep the C name.
 */
import { describe, expect, it } from 'vitest';
import { BpfkitError } from '../../../internal/errors.js';
import { StringTable } from '../../../internal/strings.js';
import { hasVmlinux, vmlinuxPath } from '../../../test-support/corpus.js';
import { Btf, encodeBtf, Kind, parseBtf, type AnyBtfType } from '../../index.js';
import { loadBtf } from '../../load.js';
import { dumpTs } from './index.js';

const base = { nameOff: 0, kflag: false };

/** struct café { int naïve; }; enum été { ÉTÉ = 1 }; */
function latin1Btf(): Btf {
  const types: AnyBtfType[] = [
    { id: 1, kind: Kind.Int, name: 'int', ...base, vlen: 0, size: 4, encoding: 1, bitsOffset: 0, bits: 32, reservedBits: 0 },
    { id: 2, kind: Kind.Struct, name: 'caf\u00e9', ...base, size: 4, members: [{ name: 'na\u00efve', nameOff: 0, type: 1, bitsOffset: 0, bitfieldSize: 0 }] },
    { id: 3, kind: Kind.Enum, name: '\u00e9t\u00e9', ...base, size: 4, values: [{ name: '\u00c9T\u00c9', nameOff: 0, value: 1 }] },
  ];
  return parseBtf(encodeBtf(new Btf({ types, strings: new StringTable(new Uint8Array(0)), littleEndian: true })));
}

function streamed(btf: Btf, maxBytes?: number): Buffer {
  const chunks: Buffer[] = [];
  const r = dumpTs(btf, { maxBytes, sink: (c) => chunks.push(Buffer.from(c)) });
  expect(r).toBe('');
  return Buffer.concat(chunks);
}

describe('dumpTs output bytes', () => {
  it('writes Latin-1 names as UTF-8: comments keep them, keys quote them', () => {
    const btf = latin1Btf();
    // The BTF holds one byte per character (é is 0xe9).
    expect([...btf.wire!.strBytes].includes(0xe9)).toBe(true);
    const ts = dumpTs(btf);
    const lines = ts.split('\n');
    expect(lines).toContain('/** struct caf\u00e9 (BTF id 2, 4 bytes) */');
    expect(lines).toContain('export interface caf_ {');
    expect(lines).toContain('  "na\u00efve": number;');
    expect(lines).toContain('    "na\u00efve": v.getInt32(o, le),');
    expect(lines).toContain('    v.setInt32(o, x["na\u00efve"], le);');
    expect(lines).toContain('/** enum \u00e9t\u00e9 (BTF id 3, 4 bytes) */');
    expect(lines).toContain('export const _t_ = {');
    expect(lines).toContain('  "\u00c9T\u00c9": 1,');
    // Streamed: the same text, as UTF-8 (é is c3 a9).
    const bytes = streamed(btf);
    expect(bytes.equals(Buffer.from(ts, 'utf8'))).toBe(true);
    expect(bytes.includes(Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9]))).toBe(true);
  });

  it('counts the limit in UTF-8 bytes, streamed or not', () => {
    const btf = latin1Btf();
    const size = Buffer.byteLength(dumpTs(btf), 'utf8');
    expect(size).toBeGreaterThan(dumpTs(btf).length);
    expect(streamed(btf, size).length).toBe(size);
    for (const run of [() => dumpTs(btf, { maxBytes: size - 1 }), () => streamed(btf, size - 1)]) {
      let err: unknown;
      try {
        run();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BpfkitError);
      expect((err as BpfkitError).code).toBe('TOO_LARGE');
    }
  });

  it.skipIf(!hasVmlinux)('streams vmlinux in chunks that add up to the returned module', () => {
    const btf = loadBtf(vmlinuxPath);
    const chunks: number[] = [];
    const parts: Buffer[] = [];
    dumpTs(btf, { source: vmlinuxPath, sink: (c) => (chunks.push(c.byteLength), parts.push(Buffer.from(c))) });
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(1 << 18);
    expect(Buffer.concat(parts).equals(Buffer.from(dumpTs(btf, { source: vmlinuxPath }), 'utf8'))).toBe(true);
  });
  if (!hasVmlinux) console.warn(`SKIP dumpTs vmlinux streaming test: ${vmlinuxPath} does not exist`);
});
