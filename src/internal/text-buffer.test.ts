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
