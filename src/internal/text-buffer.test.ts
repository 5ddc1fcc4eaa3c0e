import { describe, expect, it } from 'vitest';
import { TextBuffer } from './text-buffer.js';

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
