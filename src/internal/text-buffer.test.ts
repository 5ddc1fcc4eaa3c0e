import { describe, expect, it } from 'vitest';
import { longestString, putAscii, putCstr, putCstrJson, putInt32, putUint, TextBuffer } from './text-buffer.js';

describe('TextBuffer', () => {
  it('writes integers exactly as String() does, across digit counts and signs', () => {
    const values = [0, 1, 9, 10, 99, 100, 999, 1000, 65535, 99999, 100000, 999999, 1000000, 9999999, 10000000, 123456789, 999999999, 1000000000, 2147483647, 2147483648, 4294967295, 4294967296, -1, -9, -10, -2147483648, -2147483649, 2 ** 53 - 1];
    const out = new TextBuffer(8); // small, so growing is exercised too
    for (const v of values) out.int(v).byte(32);
    expect(out.toString()).toBe(values.map((v) => String(v) + ' ').join(''));
  });

  it('copies NUL-terminated names and Latin-1 text', () => {
    const table = new Uint8Array([0, 0x61, 0x62, 0, 0xe9, 0x41, 0]);
    const out = new TextBuffer(2);
    out.cstr(table, 1).str('|').cstr(table, 4).str('|').cstr(table, 0).str('\u00ff');
    expect(Array.from(out.bytes())).toEqual([0x61, 0x62, 0x7c, 0xe9, 0x41, 0x7c, 0xff]);
  });
});

describe('TextBuffer JSON strings', () => {
  it("escapes only what bpftool's json_writer escapes", () => {
    const s = 'a"b\\c\bd\fe\nf\rg\th\u000bi/j\u0001k\u00e9';
    const table = new Uint8Array([...Array.from(s, (c) => c.charCodeAt(0)), 0]);
    const out = new TextBuffer(4).cstrJson(table, 0).toString();
    expect(out).toBe('a\\"b\\\\c\\bd\\fe\\nf\\rg\\th\u000bi/j\u0001k\u00e9');
  });
});

describe('TextBuffer maxBytes', () => {
  const tooLarge = (fn: () => unknown): void => {
    expect(fn).toThrowError(expect.objectContaining({ name: 'BpfkitError', code: 'TOO_LARGE' }));
  };

  it('fills exactly up to the limit with every kind of append', () => {
    const table = new Uint8Array([0x61, 0x22, 0x62, 0]);
    const out = new TextBuffer(1, 16);
    out.str('ab').byte(99).raw(new Uint8Array([100])).cstr(table, 0).int(12345).cstrJson(table, 0);
    expect(out.toString()).toBe('abcda"b12345a\\"b');
    expect(out.pos).toBe(16);
    tooLarge(() => out.byte(1));
    tooLarge(() => out.str('x'));
    tooLarge(() => out.int(0));
    tooLarge(() => out.cstr(table, 0));
    tooLarge(() => out.cstrJson(table, 0));
    tooLarge(() => out.raw(new Uint8Array(1)));
    // An empty append still fits.
    out.str('').cstr(table, 3).raw(new Uint8Array(0));
    expect(out.pos).toBe(16);
  });

  it('throws TOO_LARGE on the append that crosses the limit, and never allocates past it', () => {
    const out = new TextBuffer(1 << 16, 1000);
    for (let i = 0; i < 99; i++) out.str('0123456789');
    out.int(123456789);
    tooLarge(() => out.int(12));
    tooLarge(() => out.str('0123456789'));
    expect(out.bytes().buffer.byteLength).toBeLessThanOrEqual(1000);
  });

  it('is unbounded by default', () => {
    const out = new TextBuffer(1);
    for (let i = 0; i < 1000; i++) out.str('x'.repeat(100));
    expect(out.pos).toBe(100_000);
  });
});

describe('unchecked put* writers', () => {
  it('write integers exactly as String() does', () => {
    const unsigned = [0, 1, 9, 10, 99, 100, 12345, 999999, 1000000, 9999999, 10000000, 99999999, 100000000, 999999999, 1000000000, 2147483648, 4294967295];
    const signed = [0, 7, -1, -9, -10, 2147483647, -2147483648];
    const b = new Uint8Array(1024);
    let p = 0;
    for (const v of unsigned) p = putAscii(b, putUint(b, p, v), ' ');
    for (const v of signed) p = putAscii(b, putInt32(b, p, v), ' ');
    expect(Buffer.from(b.subarray(0, p)).toString('latin1')).toBe([...unsigned, ...signed].map((v) => `${v} `).join(''));
  });

  it('copy names as cstr and cstrJson do, stopping at the NUL or the table end', () => {
    const table = new Uint8Array([0, 0x61, 0x22, 0x5c, 0x0a, 0xe9, 0, 0x62, 0x63]);
    for (const off of [0, 1, 3, 7, 8]) {
      const b = new Uint8Array(32);
      const n = putCstr(b, 2, table, off) - 2;
      expect(Array.from(b.subarray(2, 2 + n))).toEqual(Array.from(new TextBuffer().cstr(table, off).bytes()));
      const j = putCstrJson(b, 0, table, off);
      expect(Array.from(b.subarray(0, j))).toEqual(Array.from(new TextBuffer().cstrJson(table, off).bytes()));
    }
  });

  it('longestString measures the longest NUL-terminated run, an unterminated tail included', () => {
    expect(longestString(new Uint8Array([0, 1, 2, 0, 3, 0]))).toBe(2);
    expect(longestString(new Uint8Array([0, 1, 0, 1, 2, 3]))).toBe(3);
    expect(longestString(new Uint8Array([]))).toBe(0);
  });
});

describe('TextBuffer reserve and nlTabs', () => {
  it('reserve grows to fit and keeps the text; nlTabs writes a newline and tabs', () => {
    const out = new TextBuffer(2);
    out.str('ab');
    const b = out.reserve(10);
    expect(b.byteLength).toBeGreaterThanOrEqual(12);
    out.pos = putAscii(b, out.pos, 'cd');
    out.nlTabs(3).str('x');
    expect(out.toString()).toBe('abcd\n\t\t\tx');
  });
});

describe('TextBuffer streaming', () => {
  it('hands full chunks to the sink; the chunks make the whole text; length counts them', () => {
    const chunks: string[] = [];
    const out = new TextBuffer(1 << 20).stream((c) => chunks.push(Buffer.from(c).toString('latin1')), 8);
    let want = '';
    for (let i = 0; i < 100; i++) {
      out.str(`w${i} `).int(i * 7);
      want += `w${i} ${i * 7}`;
      const b = out.reserve(3);
      out.pos = putAscii(b, out.pos, '.;\n');
      want += '.;\n';
    }
    out.str('a-string-longer-than-the-chunk');
    want += 'a-string-longer-than-the-chunk';
    expect(out.length).toBe(want.length);
    out.finish();
    expect(chunks.length).toBeGreaterThan(10);
    expect(chunks.join('')).toBe(want);
    expect(out.bytes().byteLength).toBe(0);
  });

  it('maxBytes counts what was streamed', () => {
    const out = new TextBuffer(4, 20).stream(() => {}, 4);
    out.str('0123456789').str('0123456789');
    expect(() => out.str('x')).toThrow(/exceeds the limit of 20 bytes/);
  });
});
