/**
 * LZ4-compressed BTF targets: frames from the `lz4` command decode to the
 * same BTF as the raw file; hostile framing is refused before anything is
 * inflated.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BpfkitError } from '../internal/errors.js';
import { corpusDir, which } from '../test-support/corpus.js';
import { btfFromBytes, MAX_DECOMPRESSED } from './load.js';
import { decompressLz4Frames, lz4FrameBound } from './lz4-frame.js';

const lz4Cli = which('lz4');
const tmp = mkdtempSync(join(tmpdir(), 'bpfkit-lz4-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const rawVmlinux = gunzipSync(readFileSync(join(corpusDir, 'cilium-ebpf/btf/testdata/vmlinux.btf.gz')));

function errorOf(f: () => unknown): BpfkitError {
  try {
    f();
  } catch (e) {
    if (e instanceof BpfkitError) return e;
    throw e;
  }
  throw new Error('expected a BpfkitError');
}

/** Frame header for a frame without content size: FLG version 1, block
 * independence; BD with the given max-size code; a header checksum byte
 * (not checked by the bound walk). */
function frameHeader(maxCode: number): number[] {
  return [0x04, 0x22, 0x4d, 0x18, 0x60, maxCode << 4, 0x00];
}

describe.skipIf(lz4Cli === undefined)('lz4 frames from the lz4 command', () => {
  if (lz4Cli === undefined) console.warn('skipping lz4 CLI round trip: no `lz4` command (Debian package lz4)');

  it.each([
    ['default', []],
    ['max compression, 64 KiB blocks, block checksums, content size', ['-9', '-B4', '-BX', '--content-size']],
    ['independent 4 MiB blocks, no content checksum', ['-B7', '-BI', '--no-frame-crc']],
  ])('decodes vmlinux compressed with %s to the same BTF', (_name, flags) => {
    const rawPath = join(tmp, 'vmlinux.btf');
    execFileSync('sh', ['-c', `cat > ${rawPath}`], { input: rawVmlinux });
    const out = join(tmp, `vmlinux-${flags.join('')}.btf.lz4`);
    execFileSync(lz4Cli!, ['-q', '-f', ...(flags as string[]), rawPath, out]);
    const lz = readFileSync(out);
    expect(lz4FrameBound(lz)).toBeGreaterThanOrEqual(rawVmlinux.byteLength);
    expect(Buffer.from(decompressLz4Frames(lz, MAX_DECOMPRESSED, out)).equals(rawVmlinux)).toBe(true);
    const btf = btfFromBytes(lz, { file: out });
    expect(btf.ownCount).toBe(btfFromBytes(rawVmlinux).ownCount);
    expect(btf.find('task_struct')?.kind).toBe(btfFromBytes(rawVmlinux).find('task_struct')?.kind);
  });
});

describe('hostile lz4 framing', () => {
  it('refuses a frame whose blocks could inflate past the limit, before inflating', () => {
    // 40 one-byte compressed blocks in a 4 MiB-block frame: up to 160 MiB.
    const bytes = [...frameHeader(7)];
    for (let i = 0; i < 40; i++) bytes.push(1, 0, 0, 0, 0x00);
    bytes.push(0, 0, 0, 0);
    const e = errorOf(() => btfFromBytes(new Uint8Array(bytes), { file: 'bomb.btf.lz4' }));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.file).toBe('bomb.btf.lz4');
  });

  it('names the offset of a block that runs past the end', () => {
    const bytes = [...frameHeader(4), 0x00, 0x10, 0x00, 0x00, 1, 2, 3];
    const e = errorOf(() => btfFromBytes(new Uint8Array(bytes), { file: 'short.lz4' }));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.offset).toBe(7);
    expect(e.message).toMatch(/runs past the end/);
  });

  it('refuses a block larger than the frame block size, a missing end mark, a bad version, the legacy format', () => {
    const big = [...frameHeader(4), 0x01, 0x00, 0x01, 0x00, ...new Array(65537).fill(0), 0, 0, 0, 0];
    expect(errorOf(() => btfFromBytes(new Uint8Array(big))).message).toMatch(/exceeds the frame's 65536-byte block size/);
    expect(errorOf(() => btfFromBytes(new Uint8Array(frameHeader(4)))).message).toMatch(/no end mark/);
    const v2 = frameHeader(4);
    v2[4] = 0xa0;
    expect(errorOf(() => btfFromBytes(new Uint8Array([...v2, 0, 0, 0, 0]))).message).toMatch(/frame version 2/);
    expect(errorOf(() => lz4FrameBound(new Uint8Array([0x02, 0x21, 0x4c, 0x18, 0, 0, 0, 0]))).message).toMatch(/legacy/);
  });

  it('reports corrupt block data as a BpfkitError, and non-BTF content as BAD_MAGIC', () => {
    // Real frames from the compressor: text that is not BTF, then the same
    // frame with its compressed data damaged.
    const lz4 = createRequire(import.meta.url)('lz4-napi') as { compressFrameSync(b: Buffer): Buffer };
    const frame = lz4.compressFrameSync(Buffer.from('hello, this is not BTF at all; '.repeat(20)));
    expect(errorOf(() => btfFromBytes(frame)).code).toBe('BAD_MAGIC');
    const damaged = Buffer.from(frame);
    for (let i = 11; i < damaged.length - 8; i++) damaged[i] = 0xff;
    const e = errorOf(() => btfFromBytes(damaged, { file: 'damaged.lz4' }));
    expect(e.code).toBe('BAD_VALUE');
    expect(e.file).toBe('damaged.lz4');
  });
});
