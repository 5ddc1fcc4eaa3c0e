/**
 * A child process of the btf-dump benchmark: one cold `btf dump --format c`
 * in a fresh Node process, the way the CLI does it (read the file, parse,
 * dump, streaming the header out), printing its times and memory as one JSON line. Memory is read at
 * the end of the dump while the dumper's tables are still live (JS heap
 * used, plus external memory: ArrayBuffers such as the BTF bytes and the
 * output), then again after a full GC with the output still held.
 *
 * usage: node --expose-gc dist/bench/heap-probe.js FILE
 */
import { openSync, readFileSync, writeSync } from 'node:fs';
import { parseBtf } from '../btf/parse.js';
import { dumpC, dumpCHooks } from '../btf/dump/c/index.js';

export interface HeapProbe {
  btfBytes: number;
  outputBytes: number;
  parseMs: number;
  dumpMs: number;
  /** At the end of the dump (before it returns). */
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** After a full GC, holding the BTF and the output. */
  retainedHeapUsed: number;
  retainedExternal: number;
  /** The same process before it loaded or read anything (Node itself). */
  baseHeapUsed: number;
  baseExternal: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const base = process.memoryUsage();
const file = process.argv[2];
const t0 = performance.now();
const bytes = readFileSync(file);
const btf = parseBtf(bytes, { file });
const t1 = performance.now();
let atEnd: NodeJS.MemoryUsage | undefined;
dumpCHooks.atEnd = () => {
  atEnd = process.memoryUsage();
};
// Streamed to /dev/null in chunks, as the CLI streams to stdout.
const devNull = openSync('/dev/null', 'w');
let outputBytes = 0;
dumpC(btf, {
  sink: (chunk) => {
    outputBytes += chunk.byteLength;
    writeSync(devNull, chunk);
  },
});
const t2 = performance.now();
gc?.();
const kept = process.memoryUsage();
const r: HeapProbe = {
  btfBytes: bytes.byteLength,
  outputBytes,
  parseMs: t1 - t0,
  dumpMs: t2 - t1,
  heapUsed: atEnd!.heapUsed,
  external: atEnd!.external,
  arrayBuffers: atEnd!.arrayBuffers,
  retainedHeapUsed: kept.heapUsed,
  retainedExternal: kept.external,
  baseHeapUsed: base.heapUsed,
  baseExternal: base.external,
};
process.stdout.write(JSON.stringify(r) + '\n');
