import { BpfkitError } from './errors.js';

/**
 * A read-only NUL-terminated string table (ELF .strtab/.shstrtab, BTF
 * strings). Strings are decoded on demand and cached by offset because BTF
 * refers to the same offsets many times.
 *
 * Strings are decoded as Latin-1: one byte, one UTF-16 unit. Identifiers are
 * ASCII in practice, and Latin-1 keeps any other byte intact so that dumps
 * written back as Latin-1 reproduce the input bytes exactly (UTF-8 decoding
 * would replace invalid sequences).
 */
export class StringTable {
  readonly bytes: Uint8Array;
  /** The whole table as one Latin-1 string, decoded on first use: one
   * native call, after which every lookup is a cheap slice (decoding each
   * name separately costs a native call per string, ~200 ms for vmlinux's
   * 126k names). */
  private text: string | undefined;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get size(): number {
    return this.bytes.byteLength;
  }

  has(offset: number): boolean {
    return offset >= 0 && offset < this.bytes.byteLength;
  }

  /** The string starting at `offset`; throws when the offset is outside the
   * table or the string has no terminating NUL. */
  get(offset: number): string {
    const b = this.bytes;
    if (!(offset >= 0 && offset < b.byteLength)) {
      throw new BpfkitError('OUT_OF_RANGE', `string offset ${offset} is outside the string table (size ${b.byteLength})`);
    }
    const t = (this.text ??= Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1'));
    const end = t.indexOf('\0', offset);
    if (end < 0) {
      throw new BpfkitError('BAD_VALUE', `string at offset ${offset} has no terminating NUL`, { offset });
    }
    return t.slice(offset, end);
  }
}

/**
 * A string table under construction. Reuses an existing table's bytes so that
 * re-encoding an unchanged input reproduces it exactly; new strings are
 * appended and de-duplicated.
 */
export class StringTableBuilder {
  private parts: Uint8Array[] = [];
  private length = 0;
  private index = new Map<string, number>();

  /** Start from existing bytes (kept verbatim) or from a single NUL. */
  constructor(initial?: Uint8Array) {
    if (initial !== undefined && initial.byteLength > 0) {
      this.parts.push(initial);
      this.length = initial.byteLength;
    } else {
      this.parts.push(new Uint8Array(1));
      this.length = 1;
      this.index.set('', 0);
    }
  }

  get size(): number {
    return this.length;
  }

  /** Offset of `s`, appending it when it is not yet known to the builder. */
  add(s: string): number {
    const hit = this.index.get(s);
    if (hit !== undefined) return hit;
    // Latin-1, matching how StringTable decodes.
    const out = new Uint8Array(s.length + 1);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
    const off = this.length;
    this.parts.push(out);
    this.length += out.byteLength;
    this.index.set(s, off);
    return off;
  }

  /** Record that `s` already lives at `offset` (from the initial bytes). */
  remember(s: string, offset: number): void {
    if (!this.index.has(s)) this.index.set(s, offset);
  }

  finish(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0];
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }
}

/** Decode bytes [start, end) as Latin-1 (see StringTable for why). */
export function decodeLatin1(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', start, end);
}
