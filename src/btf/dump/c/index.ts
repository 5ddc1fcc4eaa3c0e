import { BpfkitError } from '../../../internal/errors.js';
import type { Btf } from '../../btf.js';
import { emitType } from './emit.js';
import { emitKfuncBlock, KFUNC_PRELUDE } from './kfuncs.js';
import { sortedTypeIds } from './sort.js';
import { orderType } from './order.js';
import { DumpState, markReferenced } from './state.js';
import { TypeTable } from './table.js';

/**
 * `bpftool btf dump file X format c`, byte for byte as Debian's bpftool 7.1
 * (libbpf 1.1) prints it: a vmlinux.h-style header with every type (or the
 * root ids and what they need) as compilable C.
 */
export interface DumpCOptions {
  /** Dump these ids and their dependencies, in this order. */
  rootIds?: readonly number[];
  /** The most bytes of output (default 1 GiB); a dump that would exceed it
   * throws BpfkitError TOO_LARGE. Absurd bitfield offsets in otherwise valid
   * BTF make libbpf print gigabytes of padding. */
  maxBytes?: number;
  /** Newer bpftool's (7.5+) order: by kind rank, then name (see sort.ts),
   * instead of bpftool 7.1's id order. Ignored with rootIds. */
  sort?: boolean;
  /** Newer bpftool's kfunc support: `__ksym`/`__weak`/`__bpf_fastcall`
   * definitions after the prelude and, for a full dump, an `extern`
   * prototype per `bpf_kfunc`-tagged function at the end (kfuncs.ts). */
  kfuncs?: boolean;
  /** Stream the header: chunks go to `sink` as they fill (each a view
   * valid during the call) and dumpC returns an empty array. A vmlinux.h
   * then never sits whole in memory. */
  sink?: (chunk: Uint8Array) => void;
}

const DEFAULT_MAX_BYTES = 2 ** 30;
// 64 KiB: a pipe's capacity on Linux; larger chunks only cost memory.
const STREAM_CHUNK = 1 << 16;

/** Called at the end of every dumpC while its working state is still live:
 * the benchmark's memory probe reads process.memoryUsage() here. Unset
 * otherwise. */
export const dumpCHooks: { atEnd?: () => void } = {};

const PRELUDE =
  '#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n' +
  '#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n' +
  '#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n' +
  '#endif\n\n';

const EPILOGUE = '#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n';

export function dumpC(btf: Btf, opts: DumpCOptions = {}): Uint8Array {
  const table = new TypeTable(btf);
  const d = dumpTable(table, opts);
  dumpCHooks.atEnd?.();
  d.out.finish();
  return d.out.bytes();
}

function dumpTable(table: TypeTable, opts: DumpCOptions): DumpState {
  // A whole header is about as large as the type section; a streamed one
  // needs only a chunk.
  const capacity = opts.sink !== undefined ? STREAM_CHUNK : Math.max(1 << 16, table.top.typeBytes.byteLength);
  const d = new DumpState(table, capacity, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  if (opts.sink !== undefined) d.out.stream(opts.sink, STREAM_CHUNK);
  markReferenced(d);
  d.out.str(PRELUDE);
  if (opts.kfuncs === true) d.out.str(KFUNC_PRELUDE);
  const given = opts.rootIds !== undefined && opts.rootIds.length > 0 ? opts.rootIds : undefined;
  const roots = given ?? (opts.sort === true ? sortedTypeIds(table) : undefined);
  const n = roots !== undefined ? roots.length : table.count - 1;
  for (let i = 0; i < n; i++) {
    const id = roots !== undefined ? roots[i] : i + 1;
    if (!Number.isInteger(id) || id < 0 || id >= table.count) {
      throw new BpfkitError('OUT_OF_RANGE', `type id ${id} does not exist (last is ${table.count - 1})`, { typeId: id });
    }
    try {
      dumpType(d, id);
    } catch (e) {
      // Output limits are hit wherever the text is, not at a type.
      if (e instanceof BpfkitError) e.locate({ typeId: id });
      throw e;
    }
  }
  if (opts.kfuncs === true && given === undefined) emitKfuncBlock(d);
  d.out.str(EPILOGUE);
  return d;
}

export function formatC(btf: Btf, opts: DumpCOptions = {}): string {
  return Buffer.from(dumpC(btf, opts)).toString('latin1');
}

/** btf_dump__dump_type: order id's dependencies, then emit them. */
function dumpType(d: DumpState, id: number): void {
  d.queueLen = 0;
  orderType(d, id, false);
  const q = d.queue;
  for (let i = 0; i < d.queueLen; i++) emitType(d, q[i], 0);
}
