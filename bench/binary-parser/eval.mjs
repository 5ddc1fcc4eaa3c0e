// binary-parser 2.3.0 against a plain DataView loop and bpfkit's Reader, on
// the two jobs bpfkit's parsers do most: the ELF64 section header table plus
// symbol table of a BPF object, and the type records of the kernel's BTF.
// Then one concrete demonstration of each reason binary-parser was rejected
// (docs/decisions.md). See README.md beside this file for the commands.
//
// This file is deliberately outside src/: it is an evaluation, not part of
// bpfkit, and binary-parser is not a dependency. It is installed into a
// temporary prefix and imported from there by path.
//
// usage: node --expose-gc bench/binary-parser/eval.mjs [--bp DIR] [--rounds N] [--json FILE]

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, isDeepStrictEqual } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..', '..');
const corpus = join(repo, '..', 'shared', 'corpus', 'cilium-ebpf');

const { values: opt } = parseArgs({
  options: {
    bp: { type: 'string', default: '/tmp/bp' },
    rounds: { type: 'string', default: '21' },
    json: { type: 'string' },
    vmlinux: { type: 'string', default: '/sys/kernel/btf/vmlinux' },
  },
});
const ROUNDS = Number(opt.rounds);
// Paths as seen from the repository root, so recorded results do not name
// this machine's directories.
const shown = (p) => (p.startsWith('/sys/') ? p : relative(repo, p));

const bpDir = join(opt.bp, 'node_modules', 'binary-parser');
if (!existsSync(bpDir)) {
  console.error(`binary-parser is not installed under ${opt.bp}; run:\n  npm install --no-save --prefix ${opt.bp} binary-parser@2.3.0`);
  process.exit(2);
}
const bpEntry = join(bpDir, 'dist', 'esm', 'binary_parser.mjs');
const { Parser } = await import(pathToFileURL(bpEntry).href);
const bpVersion = JSON.parse(readFileSync(join(bpDir, 'package.json'), 'utf8')).version;

const distReader = join(repo, 'dist', 'internal', 'reader.js');
if (!existsSync(distReader)) {
  console.error('dist/ is missing; build first: npx tsc -p tsconfig.build.json');
  process.exit(2);
}
const { Reader } = await import(pathToFileURL(distReader).href);
const { readElf, findSection } = await import(pathToFileURL(join(repo, 'dist', 'elf', 'index.js')).href);

// A full collection between samples keeps one variant's garbage off the next
// variant's clock. Without --expose-gc the flag can still be set at run time.
const gc = (() => {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc');
})();

const results = {
  machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model.trim(), kernel: release(), loadStart: loadavg()[0] },
  binaryParser: bpVersion,
  rounds: ROUNDS,
  benchmarks: {},
  demonstrations: {},
};
const log = (s = '') => process.stdout.write(s + '\n');

// Inputs are handed over as plain Uint8Arrays, as bpfkit's readBytes does,
// not as the Buffer subclass readFileSync returns.
const readPlain = (p) => {
  const b = readFileSync(p);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

// ---------------------------------------------------------------------------
// (a) ELF64: section header table + symbol table
// ---------------------------------------------------------------------------

const SHT_SYMTAB = 2;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

// 64-bit offsets and sizes must become Numbers before they can index bytes;
// binary-parser's only hook for that is a formatter (see demonstration 3).
const toNumber = { formatter: (v) => Number(v) };

/** The binary-parser tree for one byte order. The order is baked into every
 * field when the tree is built, hence a factory. */
function bpElfParsers(endian) {
  const Shdr = new Parser()
    .endianness(endian)
    .uint32('name')
    .uint32('type')
    .uint64('flags')
    .uint64('addr')
    .uint64('offset', toNumber)
    .uint64('size', toNumber)
    .uint32('link')
    .uint32('info')
    .uint64('addralign', toNumber)
    .uint64('entsize', toNumber);
  const Ehdr = new Parser()
    .useContextVars()
    .endianness(endian)
    .buffer('ident', { length: 16 })
    .uint16('type')
    .uint16('machine')
    .uint32('version')
    .uint64('entry')
    .uint64('phoff', toNumber)
    .uint64('shoff', toNumber)
    .uint32('flags')
    .uint16('ehsize')
    .uint16('phentsize')
    .uint16('phnum')
    .uint16('shentsize')
    .uint16('shnum')
    .uint16('shstrndx')
    .pointer('sections', {
      offset: 'shoff',
      type: new Parser().array('list', {
        type: Shdr,
        length: function () {
          return this.$root.shnum;
        },
      }),
    });
  const Sym = new Parser().endianness(endian).uint32('name').uint8('info').uint8('other').uint16('shndx').uint64('value').uint64('size');
  const Symtab = new Parser().array('list', { type: Sym, readUntil: 'eof' });
  return { Ehdr, Symtab };
}

const bpLE = bpElfParsers('little');

function elfWithBinaryParser(bytes, p = bpLE) {
  const h = p.Ehdr.parse(bytes);
  const sections = h.sections.list;
  const st = sections.find((s) => s.type === SHT_SYMTAB);
  const symbols = st === undefined ? [] : p.Symtab.parse(bytes.subarray(st.offset, st.offset + st.size)).list;
  return { sections, symbols };
}

/** The same records with DataView calls, byte order chosen per file. */
function elfWithDataView(bytes) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[5] === 1;
  const shoff = Number(v.getBigUint64(40, le));
  const shnum = v.getUint16(60, le);
  const sections = new Array(shnum);
  for (let i = 0, p = shoff; i < shnum; i++, p += SHDR_SIZE) {
    sections[i] = {
      name: v.getUint32(p, le),
      type: v.getUint32(p + 4, le),
      flags: v.getBigUint64(p + 8, le),
      addr: v.getBigUint64(p + 16, le),
      offset: Number(v.getBigUint64(p + 24, le)),
      size: Number(v.getBigUint64(p + 32, le)),
      link: v.getUint32(p + 40, le),
      info: v.getUint32(p + 44, le),
      addralign: Number(v.getBigUint64(p + 48, le)),
      entsize: Number(v.getBigUint64(p + 56, le)),
    };
  }
  const st = sections.find((s) => s.type === SHT_SYMTAB);
  const symbols = [];
  if (st !== undefined) {
    for (let p = st.offset, end = st.offset + st.size; p < end; p += SYM_SIZE) {
      symbols.push({
        name: v.getUint32(p, le),
        info: v.getUint8(p + 4),
        other: v.getUint8(p + 5),
        shndx: v.getUint16(p + 6, le),
        value: v.getBigUint64(p + 8, le),
        size: v.getBigUint64(p + 16, le),
      });
    }
  }
  return { sections, symbols };
}

/** The same with bpfkit's bounds-checked Reader (what src/elf uses); u64n
 * rejects 64-bit values that cannot be byte offsets. */
function elfWithReader(bytes) {
  const r = new Reader(bytes, bytes[5] === 1);
  const shoff = r.seek(40).u64n('e_shoff');
  const shnum = r.seek(60).u16();
  const sections = new Array(shnum);
  for (let i = 0; i < shnum; i++) {
    r.seek(shoff + i * SHDR_SIZE);
    sections[i] = {
      name: r.u32(),
      type: r.u32(),
      flags: r.u64(),
      addr: r.u64(),
      offset: r.u64n('sh_offset'),
      size: r.u64n('sh_size'),
      link: r.u32(),
      info: r.u32(),
      addralign: r.u64n('sh_addralign'),
      entsize: r.u64n('sh_entsize'),
    };
  }
  const st = sections.find((s) => s.type === SHT_SYMTAB);
  const symbols = [];
  if (st !== undefined) {
    const sr = r.sub(st.offset, st.size, 'symbol table');
    while (sr.remaining >= SYM_SIZE) {
      symbols.push({ name: sr.u32(), info: sr.u8(), other: sr.u8(), shndx: sr.u16(), value: sr.u64(), size: sr.u64() });
    }
  }
  return { sections, symbols };
}

// ---------------------------------------------------------------------------
// (b) BTF type records: 12-byte common header + per-kind trailing records
// ---------------------------------------------------------------------------

// Kind and vlen as linux/btf.h defines them (BTF_INFO_KIND, BTF_INFO_VLEN).
const kindOf = (info) => (info >>> 24) & 0x1f;
const vlenOf = (info) => info & 0xffff;

function bpBtfParser(endian) {
  const P = () => new Parser().endianness(endian);
  // `this` in an option function is the object being filled: the type record.
  const vlen = function () {
    return this.info & 0xffff;
  };
  const Member = P().uint32('name_off').uint32('type').uint32('offset');
  const EnumVal = P().uint32('name_off').uint32('val');
  const Param = P().uint32('name_off').uint32('type');
  const VarSecinfo = P().uint32('type').uint32('offset').uint32('size');
  const Enum64Val = P().uint32('name_off').uint32('val_lo32').uint32('val_hi32');
  const members = P().array('members', { type: Member, length: vlen });
  const Type = P()
    .uint32('name_off')
    .uint32('info')
    .uint32('size_type')
    .choice({
      tag: function () {
        return (this.info >>> 24) & 0x1f;
      },
      choices: {
        1: P().uint32('int_data'),
        3: P().uint32('type').uint32('index_type').uint32('nelems'),
        4: members,
        5: members,
        6: P().array('values', { type: EnumVal, length: vlen }),
        13: P().array('params', { type: Param, length: vlen }),
        14: P().uint32('linkage'),
        15: P().array('vars', { type: VarSecinfo, length: vlen }),
        17: P().int32('component_idx'),
        19: P().array('values', { type: Enum64Val, length: vlen }),
      },
      // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG:
      // nothing after the common header.
      defaultChoice: new Parser(),
    });
  const Header = P()
    .uint16('magic')
    .uint8('version')
    .uint8('flags')
    .uint32('hdr_len')
    .uint32('type_off')
    .uint32('type_len')
    .uint32('str_off')
    .uint32('str_len');
  return { Header, Types: new Parser().array('types', { type: Type, readUntil: 'eof' }) };
}

const bpBtfLE = bpBtfParser('little');

function btfWithBinaryParser(bytes, p = bpBtfLE) {
  const h = p.Header.parse(bytes);
  const start = h.hdr_len + h.type_off;
  return p.Types.parse(bytes.subarray(start, start + h.type_len)).types;
}

function btfWithDataView(bytes) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x9f;
  const start = v.getUint32(4, le) + v.getUint32(8, le);
  const end = start + v.getUint32(12, le);
  const out = [];
  let p = start;
  while (p < end) {
    const info = v.getUint32(p + 4, le);
    const t = { name_off: v.getUint32(p, le), info, size_type: v.getUint32(p + 8, le) };
    p += 12;
    const n = vlenOf(info);
    switch (kindOf(info)) {
      case 1:
        t.int_data = v.getUint32(p, le);
        p += 4;
        break;
      case 3:
        t.type = v.getUint32(p, le);
        t.index_type = v.getUint32(p + 4, le);
        t.nelems = v.getUint32(p + 8, le);
        p += 12;
        break;
      case 4:
      case 5:
        t.members = new Array(n);
        for (let j = 0; j < n; j++, p += 12) {
          t.members[j] = { name_off: v.getUint32(p, le), type: v.getUint32(p + 4, le), offset: v.getUint32(p + 8, le) };
        }
        break;
      case 6:
        t.values = new Array(n);
        for (let j = 0; j < n; j++, p += 8) t.values[j] = { name_off: v.getUint32(p, le), val: v.getUint32(p + 4, le) };
        break;
      case 13:
        t.params = new Array(n);
        for (let j = 0; j < n; j++, p += 8) t.params[j] = { name_off: v.getUint32(p, le), type: v.getUint32(p + 4, le) };
        break;
      case 14:
        t.linkage = v.getUint32(p, le);
        p += 4;
        break;
      case 15:
        t.vars = new Array(n);
        for (let j = 0; j < n; j++, p += 12) {
          t.vars[j] = { type: v.getUint32(p, le), offset: v.getUint32(p + 4, le), size: v.getUint32(p + 8, le) };
        }
        break;
      case 17:
        t.component_idx = v.getInt32(p, le);
        p += 4;
        break;
      case 19:
        t.values = new Array(n);
        for (let j = 0; j < n; j++, p += 12) {
          t.values[j] = { name_off: v.getUint32(p, le), val_lo32: v.getUint32(p + 4, le), val_hi32: v.getUint32(p + 8, le) };
        }
        break;
      default:
        break;
    }
    out.push(t);
  }
  return out;
}

function btfWithReader(bytes) {
  const hr = new Reader(bytes, bytes[0] === 0x9f);
  const hdrLen = hr.seek(4).u32();
  const typeOff = hr.u32();
  const typeLen = hr.u32();
  const r = hr.sub(hdrLen + typeOff, typeLen, 'type section');
  const out = [];
  while (r.remaining > 0) {
    const name_off = r.u32();
    const info = r.u32();
    const t = { name_off, info, size_type: r.u32() };
    const n = vlenOf(info);
    switch (kindOf(info)) {
      case 1:
        t.int_data = r.u32();
        break;
      case 3:
        t.type = r.u32();
        t.index_type = r.u32();
        t.nelems = r.u32();
        break;
      case 4:
      case 5:
        t.members = new Array(n);
        for (let j = 0; j < n; j++) t.members[j] = { name_off: r.u32(), type: r.u32(), offset: r.u32() };
        break;
      case 6:
        t.values = new Array(n);
        for (let j = 0; j < n; j++) t.values[j] = { name_off: r.u32(), val: r.u32() };
        break;
      case 13:
        t.params = new Array(n);
        for (let j = 0; j < n; j++) t.params[j] = { name_off: r.u32(), type: r.u32() };
        break;
      case 14:
        t.linkage = r.u32();
        break;
      case 15:
        t.vars = new Array(n);
        for (let j = 0; j < n; j++) t.vars[j] = { type: r.u32(), offset: r.u32(), size: r.u32() };
        break;
      case 17:
        t.component_idx = r.i32();
        break;
      case 19:
        t.values = new Array(n);
        for (let j = 0; j < n; j++) t.values[j] = { name_off: r.u32(), val_lo32: r.u32(), val_hi32: r.u32() };
        break;
      default:
        break;
    }
    out.push(t);
  }
  return out;
}


// ---------------------------------------------------------------------------
// Timing: the variants run interleaved (A, B, C, A, B, C, …) so that load
// from anything else on the machine falls on all of them alike.
// ---------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** ops/s per round for each variant; each sample runs `batch` calls. */
function race(variants, input, batch) {
  const samples = Object.fromEntries(variants.map(([name]) => [name, []]));
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of variants) {
      gc();
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) sink += fn(input) === undefined ? 0 : 1;
      const ms = performance.now() - t0;
      samples[name].push(ms / batch);
    }
  }
  if (sink < 0) log('unreachable'); // keeps the calls observable to the JIT
  return Object.fromEntries(
    Object.entries(samples).map(([name, perCall]) => {
      const med = median(perCall);
      const min = Math.min(...perCall);
      return [name, { medianMs: med, minMs: min, opsPerSec: 1000 / med, samplesMs: perCall }];
    }),
  );
}

/** Calls per sample so that one sample takes roughly `targetMs`. */
function calibrate(fn, input, targetMs) {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < targetMs) {
    fn(input);
    n++;
  }
  return Math.max(1, n);
}

function printRace(title, res, baseline) {
  log(title);
  const base = res[baseline].medianMs;
  log('  variant                       median/op      min/op        ops/s   time vs binary-parser');
  for (const [name, r] of Object.entries(res)) {
    const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(2)} µs`).padStart(11);
    log(`  ${name.padEnd(28)} ${fmt(r.medianMs)} ${fmt(r.minMs)} ${r.opsPerSec.toFixed(1).padStart(12)}   ${(r.medianMs / base).toFixed(2)}x`);
  }
}

function firstCallMs(make, input) {
  const t0 = performance.now();
  make().parse(input);
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------

log(`binary-parser ${bpVersion} vs DataView vs bpfkit Reader`);
log(`machine: ${results.machine.cpus} x ${results.machine.cpuModel}, Linux ${results.machine.kernel}, Node ${process.version}`);
log(`rounds: ${ROUNDS} (variants interleaved within each round; load average at start ${results.machine.loadStart.toFixed(2)})`);
log();

// (a) ELF
const elfPath = join(corpus, 'testdata', 'manyprogs-el.elf');
const elfBytes = readPlain(elfPath);
{
  const a = elfWithBinaryParser(elfBytes);
  const b = elfWithDataView(elfBytes);
  const c = elfWithReader(elfBytes);
  if (!isDeepStrictEqual(a, b) || !isDeepStrictEqual(b, c)) throw new Error('ELF: the three parsers disagree');
  const variants = [
    ['binary-parser', elfWithBinaryParser],
    ['DataView loop', elfWithDataView],
    ['bpfkit Reader', elfWithReader],
  ];
  for (const [, fn] of variants) calibrate(fn, elfBytes, 200); // warm up the JIT
  const batch = calibrate(elfWithBinaryParser, elfBytes, 50);
  const res = race(variants, elfBytes, batch);
  results.benchmarks.elf = {
    input: `${shown(elfPath)} (${elfBytes.byteLength} bytes, ${a.sections.length} section headers, ${a.symbols.length} symbols)`,
    callsPerSample: batch,
    results: res,
  };
  printRace(`(a) ELF64 section headers + symbol table: ${results.benchmarks.elf.input}`, res, 'binary-parser');
  log('    (all three produce identical objects, checked with isDeepStrictEqual)');
  log();
}

// (b) BTF
{
  let btfPath = opt.vmlinux;
  let btfBytes;
  if (existsSync(btfPath)) btfBytes = readPlain(btfPath);
  else {
    const { gunzipSync } = await import('node:zlib');
    btfPath = join(corpus, 'btf', 'testdata', 'vmlinux.btf.gz');
    btfBytes = gunzipSync(readFileSync(btfPath));
  }
  const a = btfWithBinaryParser(btfBytes);
  const b = btfWithDataView(btfBytes);
  const c = btfWithReader(btfBytes);
  if (!isDeepStrictEqual(a, b) || !isDeepStrictEqual(b, c)) throw new Error('BTF: the three parsers disagree');
  const variants = [
    ['binary-parser', btfWithBinaryParser],
    ['DataView loop', btfWithDataView],
    ['bpfkit Reader', btfWithReader],
  ];
  for (const [, fn] of variants) for (let i = 0; i < 3; i++) fn(btfBytes); // warm up the JIT
  const res = race(variants, btfBytes, 1);
  results.benchmarks.btf = {
    input: `${shown(btfPath)} (${btfBytes.byteLength} bytes, ${a.length} type records)`,
    callsPerSample: 1,
    results: res,
  };
  printRace(`(b) BTF type records: ${results.benchmarks.btf.input}`, res, 'binary-parser');
  log('    (all three produce identical objects, checked with isDeepStrictEqual)');
  log();
}

// First call of a freshly built tree: building it, generating its source
// and compiling it with new Function, plus one parse. A DataView function
// pays nothing of this; binary-parser pays it once per tree, per byte order.
{
  const elfFirst = firstCallMs(() => bpElfParsers('little').Ehdr, elfBytes);
  const btfFirst = firstCallMs(() => bpBtfParser('little').Header, Buffer.alloc(24));
  results.benchmarks.firstCall = { elfHeaderTreeMs: elfFirst, btfHeaderTreeMs: btfFirst };
  log(`first call of a newly built parser tree (build + new Function + one parse): ELF header tree ${elfFirst.toFixed(2)} ms, BTF header tree ${btfFirst.toFixed(2)} ms`);
  log();
}

// ---------------------------------------------------------------------------
// Demonstrations of the rejection reasons
// ---------------------------------------------------------------------------

const demo = (key, title, lines) => {
  results.demonstrations[key] = lines;
  log(`## ${title}`);
  for (const l of lines) log(`  ${l}`);
  log();
};
const errText = (fn) => {
  try {
    fn();
    return 'no error';
  } catch (e) {
    return `${e.constructor.name}: ${e.message}`;
  }
};

// 1. Decoding only.
{
  const methods = Object.getOwnPropertyNames(Parser.prototype);
  const writers = methods.filter((m) => /^(encode|serialize|write|pack|toBuffer|to_buffer)/i.test(m));
  demo('decodeOnly', '1. decode only', [
    `Parser.prototype has ${methods.length} methods; those named encode*/serialize*/write*/pack*/toBuffer: ${writers.length === 0 ? 'none' : writers.join(', ')}`,
    'bpfkit writes ELF, BTF and .BTF.ext byte for byte, so every binary-parser tree would need a hand-written encoder mirroring it.',
  ]);
}

// 2. Byte order is fixed when the tree is built.
{
  const ebPath = join(corpus, 'testdata', 'manyprogs-eb.elf');
  const eb = readPlain(ebPath);
  const lines = [`${shown(ebPath)}: the big-endian twin of the object above (EI_DATA = ${eb[5]}, 2 = big-endian)`];
  const head = (p) => {
    const { sections, ...h } = p;
    return `e_machine=${h.machine} e_shoff=${h.shoff} e_shnum=${h.shnum}`;
  };
  // The header alone, with the pointer dropped, to show the misread values.
  const headerOnly = (endian) =>
    new Parser()
      .endianness(endian)
      .seek(18)
      .uint16('machine')
      .seek(20)
      .uint64('shoff', toNumber)
      .seek(12)
      .uint16('shnum');
  lines.push(`correct (big-endian tree):   ${head(headerOnly('big').parse(eb))}  (EM_BPF is 247)`);
  lines.push(`little-endian tree on it:    ${head(headerOnly('little').parse(eb))}`);
  lines.push(`full little-endian ELF tree: ${errText(() => elfWithBinaryParser(eb))}`);
  // endianness() only affects fields added after it: the built tree keeps its order.
  const tree = bpElfParsers('little');
  tree.Ehdr.endianness('big');
  lines.push(`same tree after .endianness('big'): ${errText(() => elfWithBinaryParser(eb, tree))}`);
  const ok = elfWithBinaryParser(eb, bpElfParsers('big'));
  lines.push(`a second tree built for big-endian: ${ok.sections.length} sections, ${ok.symbols.length} symbols (equal to the DataView result: ${isDeepStrictEqual(ok, elfWithDataView(eb))})`);
  // BTF: the .BTF section of the big-endian object, through the LE tree.
  const btfSec = findSection(readElf(eb), '.BTF').data;
  const h = bpBtfLE.Header.parse(btfSec);
  lines.push(
    `.BTF of the big-endian object through the little-endian BTF tree: magic=0x${h.magic.toString(16)} (expected 0xeb9f) hdr_len=${h.hdr_len} type_len=${h.type_len}`,
  );
  lines.push(`  → its type records: ${btfWithBinaryParser(btfSec).length} records and no error (subarray clamps the impossible section bounds silently)`);
  const beTypes = btfWithBinaryParser(btfSec, bpBtfParser('big'));
  lines.push(
    `  a big-endian BTF tree reads ${beTypes.length} types (equal to the DataView result: ${isDeepStrictEqual(beTypes, btfWithDataView(btfSec))})`,
  );
  lines.push('So every structure needs two trees (or a tree built and compiled per file), chosen after reading EI_DATA or the BTF magic;');
  lines.push('a DataView or Reader takes the order as a run-time argument.');
  demo('byteOrder', '2. byte order fixed at build time', lines);
}

// 3. 64-bit fields: BigInt, unusable as offsets or lengths.
{
  const lines = [];
  const noFmt = new Parser().endianness('little').seek(40).uint64('shoff').pointer('first', { offset: 'shoff', type: 'uint32le' });
  lines.push(`uint64 e_shoff used as a pointer offset: ${errText(() => noFmt.parse(elfBytes))}`);
  const asLen = new Parser().endianness('little').seek(64 + 32).uint64('size').buffer('data', { length: 'size' });
  lines.push(`uint64 used as a buffer length:          ${errText(() => asLen.parse(elfBytes))}`);
  const asSeek = new Parser().endianness('little').seek(40).uint64('shoff').seek('shoff');
  lines.push(`uint64 used as a seek distance:          ${errText(() => asSeek.parse(elfBytes))}`);
  const asCount = new Parser().endianness('little').seek(40).uint64('n').array('a', { type: 'uint8', length: 'n' });
  // The one place a BigInt works: the generated loop counts it down with --.
  lines.push(`uint64 used as an array length:          works (${asCount.parse(elfBytes).a.length} elements; the generated loop decrements the BigInt)`);
  // The workaround (a Number formatter) silently rounds values above 2^53.
  const forged = Buffer.from(elfBytes);
  const dv = new DataView(forged.buffer, forged.byteOffset, forged.byteLength);
  const shoff = Number(dv.getBigUint64(40, true));
  const sizeAt = shoff + SHDR_SIZE + 32; // sh_size of section 1
  dv.setBigUint64(sizeAt, 2n ** 53n + 1n, true);
  const viaFormatter = bpLE.Ehdr.parse(forged).sections.list[1].size;
  lines.push(`with the Number formatter, sh_size = 2^53+1 (9007199254740993) is read as ${viaFormatter} without any error`);
  lines.push(`bpfkit Reader.u64n on the same field: ${errText(() => elfWithReader(forged))}`);
  lines.push(`bpfkit readElf on the same file: ${errText(() => readElf(forged, { file: 'forged.elf' }))}`);
  const forged2 = Buffer.from(elfBytes);
  new DataView(forged2.buffer, forged2.byteOffset).setBigUint64(40, 0xffff_ffff_ffff_fff0n, true);
  lines.push(`e_shoff = 0xfffffffffffffff0, binary-parser with formatter: ${errText(() => elfWithBinaryParser(forged2))}`);
  lines.push(`bpfkit readElf on the same file: ${errText(() => readElf(forged2, { file: 'forged.elf' }))}`);
  demo('uint64', '3. 64-bit offsets and lengths', lines);
}

// 4. new Function.
{
  const lines = [];
  const src = Parser.prototype.compile.toString();
  const at = src.indexOf('new Function');
  lines.push(`Parser.prototype.compile: ${src.slice(at, src.indexOf(')(', at) + 1).replace(/\s+/g, ' ')}`);
  const code = new Parser().endianness('little').uint32('name').uint64('offset').getCode();
  lines.push(`generated source for .uint32('name').uint64('offset'): ${code.split('\n').filter((l) => l.includes('dataView.get')).join(' ')}`);
  // Node's stand-in for a CSP without 'unsafe-eval': code generation from
  // strings is refused, so binary-parser cannot compile a parser at all.
  const child = (body) =>
    spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', body], { encoding: 'utf8' });
  const bp = child(
    `import { Parser } from ${JSON.stringify(pathToFileURL(bpEntry).href)};
     try { new Parser().uint32le('x').parse(Buffer.alloc(4)); console.log('parsed'); }
     catch (e) { console.log(e.constructor.name + ': ' + e.message); }`,
  );
  lines.push(`node --disallow-code-generation-from-strings, binary-parser: ${bp.stdout.trim() || bp.stderr.trim()}`);
  const rd = child(
    `import { Reader } from ${JSON.stringify(pathToFileURL(distReader).href)};
     console.log('bpfkit Reader read x = ' + new Reader(new Uint8Array([1, 0, 0, 0]), true).u32());`,
  );
  lines.push(`node --disallow-code-generation-from-strings, bpfkit Reader: ${rd.stdout.trim() || rd.stderr.trim()}`);
  demo('eval', '4. code generation with new Function', lines);
}

results.machine.loadEnd = loadavg()[0];
log(`load average at end: ${results.machine.loadEnd.toFixed(2)}`);
if (opt.json !== undefined) {
  writeFileSync(opt.json, JSON.stringify(results, null, 2) + '\n');
  log(`raw results: ${opt.json}`);
}
