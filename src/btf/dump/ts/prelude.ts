/**
 * The runtime part of a generated module: the `Codec` interface and small
 * helpers that the generated per-type code calls (bitfields, 128-bit
 * integers, strings, typed arrays). Emitted verbatim into every module so
 * that the output has no imports.
 *
 * Private helpers are named with a leading `$`, which C identifiers never
 * use, so they cannot collide with a type name; exported names (`Codec`,
 * `BTF_LITTLE_ENDIAN`) are reserved by the namer.
 */

/** Scalar element accessors that map onto a JS typed array. */
export const TYPED_ARRAYS = [
  // [helper suffix, DataView accessor, typed array, element size, element TS type]
  ['u8', 'Uint8', 'Uint8Array', 1, 'number'],
  ['i8', 'Int8', 'Int8Array', 1, 'number'],
  ['u16', 'Uint16', 'Uint16Array', 2, 'number'],
  ['i16', 'Int16', 'Int16Array', 2, 'number'],
  ['u32', 'Uint32', 'Uint32Array', 4, 'number'],
  ['i32', 'Int32', 'Int32Array', 4, 'number'],
  ['u64', 'BigUint64', 'BigUint64Array', 8, 'bigint'],
  ['i64', 'BigInt64', 'BigInt64Array', 8, 'bigint'],
  ['f32', 'Float32', 'Float32Array', 4, 'number'],
  ['f64', 'Float64', 'Float64Array', 8, 'number'],
] as const;

export type TypedArraySuffix = (typeof TYPED_ARRAYS)[number][0];

function typedArrayHelpers(): string {
  const out: string[] = [];
  for (const [suffix, acc, ta, size, elem] of TYPED_ARRAYS) {
    const le = size === 1 ? '' : ', le';
    out.push(
      `function $r_${suffix}(v: DataView, o: number, n: number, le: boolean): ${ta} {`,
      `  const a = new ${ta}(n);`,
      `  for (let i = 0; i < n; i++) a[i] = v.get${acc}(o + i * ${size}${le});`,
      `  return a;`,
      `}`,
      `function $w_${suffix}(v: DataView, o: number, n: number, le: boolean, a: ArrayLike<${elem}>): void {`,
      `  const m = Math.min(n, a.length);`,
      `  for (let i = 0; i < m; i++) v.set${acc}(o + i * ${size}, a[i]${le});`,
      `  $zero(v, o + m * ${size}, (n - m) * ${size});`,
      `}`,
    );
  }
  return out.join('\n');
}

/** The module prelude; `littleEndian` is the BTF's own byte order. */
export function prelude(littleEndian: boolean): string {
  return `/** How the codecs of this module read and write values. */
export interface Codec<T> {
  /** sizeof(T) in bytes, as BTF gives it. */
  readonly size: number;
  /** alignof(T) with libbpf's rules (1 for packed types). */
  readonly align: number;
  /** Read a T at \`offset\` (default 0). \`littleEndian\` defaults to BTF_LITTLE_ENDIAN. */
  decode(view: DataView, offset?: number, littleEndian?: boolean): T;
  /** Zero \`size\` bytes at \`offset\`, then write \`value\` there. */
  encode(value: T, view: DataView, offset?: number, littleEndian?: boolean): void;
  /** Write \`value\`'s members without clearing padding first (what encode does after zeroing).
   * Only member bits are written; bytes after a string's NUL count as padding. So
   * write(decode(bytes)) over those bytes leaves them exactly as they were. */
  write(value: T, view: DataView, offset: number, littleEndian: boolean): void;
  /** decode() from the start of \`bytes\`. */
  fromBytes(bytes: Uint8Array, littleEndian?: boolean): T;
  /** encode() into a new buffer of \`size\` bytes. */
  toBytes(value: T, littleEndian?: boolean): Uint8Array;
}

/** Byte order of the BTF this module was generated from (the default of every codec). */
export const BTF_LITTLE_ENDIAN: boolean = ${littleEndian};

function $codec<T>(
  size: number,
  align: number,
  dec: (v: DataView, o: number, le: boolean) => T,
  wr: (x: T, v: DataView, o: number, le: boolean) => void,
): Codec<T> {
  return {
    size,
    align,
    decode: (v, o = 0, le = BTF_LITTLE_ENDIAN) => dec(v, o, le),
    encode: (x, v, o = 0, le = BTF_LITTLE_ENDIAN) => {
      $zero(v, o, size);
      wr(x, v, o, le);
    },
    write: wr,
    fromBytes: (b, le = BTF_LITTLE_ENDIAN) => dec(new DataView(b.buffer, b.byteOffset, b.byteLength), 0, le),
    toBytes: (x, le = BTF_LITTLE_ENDIAN) => {
      const b = new Uint8Array(size);
      wr(x, new DataView(b.buffer), 0, le);
      return b;
    },
  };
}

function $zero(v: DataView, o: number, n: number): void {
  for (let i = 0; i < n; i++) v.setUint8(o + i, 0);
}

/* Bitfields. \`bo\` is the field's bit offset from \`o\` as BTF gives it:
 * counted from the least significant bit of the byte at \`o\` for
 * little-endian, from the most significant bit for big-endian. The bytes
 * the field touches are read as one integer in the given byte order, the
 * field is taken out of (or put into) it with a mask, and written back, so
 * neighbouring fields keep their bits. */
function $span(v: DataView, o: number, s: number, e: number, le: boolean): number {
  let acc = 0;
  if (le) for (let i = e - 1; i >= s; i--) acc = acc * 256 + v.getUint8(o + i);
  else for (let i = s; i < e; i++) acc = acc * 256 + v.getUint8(o + i);
  return acc;
}
function $ub(v: DataView, o: number, bo: number, bits: number, le: boolean): number {
  const s = bo >> 3;
  const e = (bo + bits + 7) >> 3;
  const shift = le ? bo - s * 8 : e * 8 - bo - bits;
  return Math.floor($span(v, o, s, e, le) / 2 ** shift) % 2 ** bits;
}
function $sb(v: DataView, o: number, bo: number, bits: number, le: boolean): number {
  const u = $ub(v, o, bo, bits, le);
  return u >= 2 ** (bits - 1) ? u - 2 ** bits : u;
}
function $wb(v: DataView, o: number, bo: number, bits: number, le: boolean, x: number): void {
  const s = bo >> 3;
  const e = (bo + bits + 7) >> 3;
  const p = 2 ** (le ? bo - s * 8 : e * 8 - bo - bits);
  const w = 2 ** bits;
  let acc = $span(v, o, s, e, le);
  const f = ((Math.trunc(x) % w) + w) % w;
  acc = (Math.floor(acc / (p * w)) * w + f) * p + (acc % p);
  if (le)
    for (let i = s; i < e; i++) {
      v.setUint8(o + i, acc % 256);
      acc = Math.floor(acc / 256);
    }
  else
    for (let i = e - 1; i >= s; i--) {
      v.setUint8(o + i, acc % 256);
      acc = Math.floor(acc / 256);
    }
}
function $spanB(v: DataView, o: number, s: number, e: number, le: boolean): bigint {
  let acc = BigInt(0);
  const k = BigInt(8);
  if (le) for (let i = e - 1; i >= s; i--) acc = (acc << k) | BigInt(v.getUint8(o + i));
  else for (let i = s; i < e; i++) acc = (acc << k) | BigInt(v.getUint8(o + i));
  return acc;
}
function $ubB(v: DataView, o: number, bo: number, bits: number, le: boolean): bigint {
  const s = bo >> 3;
  const e = (bo + bits + 7) >> 3;
  const shift = BigInt(le ? bo - s * 8 : e * 8 - bo - bits);
  return BigInt.asUintN(bits, $spanB(v, o, s, e, le) >> shift);
}
function $sbB(v: DataView, o: number, bo: number, bits: number, le: boolean): bigint {
  return BigInt.asIntN(bits, $ubB(v, o, bo, bits, le));
}
function $wbB(v: DataView, o: number, bo: number, bits: number, le: boolean, x: bigint): void {
  const s = bo >> 3;
  const e = (bo + bits + 7) >> 3;
  const shift = BigInt(le ? bo - s * 8 : e * 8 - bo - bits);
  const mask = ((BigInt(1) << BigInt(bits)) - BigInt(1)) << shift;
  let acc = ($spanB(v, o, s, e, le) & ~mask) | ((BigInt.asUintN(bits, x) << shift) & mask);
  const k = BigInt(8);
  const ff = BigInt(0xff);
  if (le)
    for (let i = s; i < e; i++) {
      v.setUint8(o + i, Number(acc & ff));
      acc >>= k;
    }
  else
    for (let i = e - 1; i >= s; i--) {
      v.setUint8(o + i, Number(acc & ff));
      acc >>= k;
    }
}

/* 128-bit integers (__int128) as two 64-bit halves. */
function $r128(v: DataView, o: number, le: boolean, signed: boolean): bigint {
  const lo = v.getBigUint64(le ? o : o + 8, le);
  const hi = v.getBigUint64(le ? o + 8 : o, le);
  const u = (hi << BigInt(64)) | lo;
  return signed ? BigInt.asIntN(128, u) : u;
}
function $w128(v: DataView, o: number, le: boolean, x: bigint): void {
  const u = BigInt.asUintN(128, x);
  v.setBigUint64(le ? o : o + 8, BigInt.asUintN(64, u), le);
  v.setBigUint64(le ? o + 8 : o, u >> BigInt(64), le);
}

/* char arrays: the bytes up to the first NUL, one character per byte
 * (Latin-1, so any byte string survives a round trip; decode UTF-8 text
 * yourself if you need to). Writing puts the characters and one NUL and
 * leaves the bytes after that NUL alone, like padding (encode has zeroed
 * them), so a union member that overlaps them keeps its bytes. */
function $str(v: DataView, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = v.getUint8(o + i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}
function $wstr(v: DataView, o: number, n: number, s: string): void {
  const m = Math.min(n, s.length);
  for (let i = 0; i < m; i++) v.setUint8(o + i, s.charCodeAt(i) & 0xff);
  if (m < n) v.setUint8(o + m, 0);
}

/* _Bool: any nonzero byte reads as true; a write leaves a value that
 * already has the right truth alone (so decode then encode keeps the byte). */
function $wbool(v: DataView, o: number, size: number, le: boolean, x: boolean): void {
  const cur = size === 1 ? v.getUint8(o) : size === 2 ? v.getUint16(o, le) : v.getUint32(o, le);
  if ((cur !== 0) === x) return;
  if (size === 1) v.setUint8(o, x ? 1 : 0);
  else if (size === 2) v.setUint16(o, x ? 1 : 0, le);
  else v.setUint32(o, x ? 1 : 0, le);
}

/* float/double: a NaN is not rewritten over a NaN (keeps its payload). */
function $wf32(v: DataView, o: number, x: number, le: boolean): void {
  if (x === x || !Number.isNaN(v.getFloat32(o, le))) v.setFloat32(o, x, le);
}
function $wf64(v: DataView, o: number, x: number, le: boolean): void {
  if (x === x || !Number.isNaN(v.getFloat64(o, le))) v.setFloat64(o, x, le);
}

/* Opaque bytes (types without a JS number form: long double, odd sizes). */
function $bytes(v: DataView, o: number, n: number): Uint8Array {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = v.getUint8(o + i);
  return a;
}
function $wbytes(v: DataView, o: number, n: number, a: ArrayLike<number>): void {
  const m = Math.min(n, a.length);
  for (let i = 0; i < m; i++) v.setUint8(o + i, a[i]);
  $zero(v, o + m, n - m);
}

/* Arrays of anything else (structs, strings, nested arrays). */
function $arr<T>(n: number, f: (i: number) => T): T[] {
  const a: T[] = new Array(n);
  for (let i = 0; i < n; i++) a[i] = f(i);
  return a;
}

/* Typed arrays are copies, not views: DataView handles byte order and
 * unaligned offsets, typed arrays do neither. */
${typedArrayHelpers()}
`;
}

/** Names the prelude exports or relies on as globals; a C type with one of
 * these names is renamed. */
export const PRELUDE_NAMES = [
  'Codec',
  'BTF_LITTLE_ENDIAN',
  'DataView',
  'Math',
  'BigInt',
  'Number',
  'String',
  'Array',
  'Object',
  'ArrayLike',
  ...TYPED_ARRAYS.map((t) => t[2]),
];
