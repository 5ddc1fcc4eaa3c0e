/**
 * The link fast path (`gen object OUT IN...` and `link -o OUT IN...` read
 * without yargs) must take exactly the command lines it understands, and
 * do what the yargs path does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, testdataDir } from '../../test-support/corpus.js';
import { fastLinkArgs } from './gen-object.js';

const cli = join(repoRoot, 'dist/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { maxBuffer: 1 << 26 });
const dir = mkdtempSync(join(tmpdir(), 'bpfkit-fastlink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('link fast path', () => {
  it('reads the plain forms', () => {
    expect(fastLinkArgs(['gen', 'object', 'o.o', 'a.o', 'b.o'])).toEqual({ out: 'o.o', inputs: ['a.o', 'b.o'], json: false });
    expect(fastLinkArgs(['gen', 'object', '--json', 'o.o', 'a.o'])).toEqual({ out: 'o.o', inputs: ['a.o'], json: true });
    expect(fastLinkArgs(['link', '-o', 'o.o', 'a.o', 'b.o'])).toEqual({ out: 'o.o', inputs: ['a.o', 'b.o'], json: false });
    expect(fastLinkArgs(['link', 'a.o', '--output', 'o.o', 'b.o', '--json'])).toEqual({ out: 'o.o', inputs: ['a.o', 'b.o'], json: true });
    expect(fastLinkArgs(['link', '--output=o.o', 'a.o'])).toEqual({ out: 'o.o', inputs: ['a.o'], json: false });
  });

  it('leaves everything else to yargs', () => {
    for (const argv of [
      ['gen', 'object'],
      ['gen', 'object', 'o.o'],
      ['gen', 'object', '-o', 'o.o', 'a.o'],
      ['gen', 'object', 'o.o', 'a.o', '--help'],
      ['gen', 'objects', 'o.o', 'a.o'],
      ['gen', 'min_core_btf', 'in', 'out', 'a.o'],
      ['link', 'a.o'],
      ['link', '-o', 'o.o'],
      ['link', '-o', 'o.o', '-o', 'p.o', 'a.o'],
      ['link', '-o', '--json', 'a.o'],
      ['link', '--output=', 'a.o'],
      ['link', '-o', 'o.o', 'a.o', '--json', '--json'],
      ['link', '-o', 'o.o', 'a.o', '--no-json'],
      ['link', '-o', 'o.o', '-'],
      ['link', '-o', 'o.o', ''],
      ['links', '-o', 'o.o', 'a.o'],
      ['btf', 'dump', 'a.o'],
    ]) {
      expect(fastLinkArgs(argv), argv.join(' ')).toBeUndefined();
    }
  });

  it('writes and prints what the yargs path does, and fails the same way', () => {
    const ins = ['core_lib', 'core_main'].map((n) => join(testdataDir, `link/obj/${n}.bpfel.o`));
    // --no-json (the default) sends the same request through yargs.
    const forms: [string, (out: string) => string[]][] = [
      ['link', (out) => ['link', '-o', out, ...ins, '--json']],
      ['gen object', (out) => ['gen', 'object', out, ...ins, '--json']],
    ];
    for (const [name, args] of forms) {
      const fastOut = join(dir, `${name}.fast.o`);
      const slowOut = join(dir, `${name}.slow.o`);
      const fast = run(...args(fastOut));
      const slow = run(...args(slowOut).filter((a) => a !== '--json'), '--json');
      const slowNoJson = run(...args(join(dir, `${name}.nojson.o`)).filter((a) => a !== '--json'), '--no-json');
      expect(fast.status, fast.stderr.toString()).toBe(0);
      expect(slowNoJson.status).toBe(0);
      expect(slowNoJson.stdout.length).toBe(0);
      expect(readFileSync(fastOut).equals(readFileSync(slowOut))).toBe(true);
      expect(readFileSync(fastOut).equals(readFileSync(join(dir, `${name}.nojson.o`)))).toBe(true);
      // The summary names the output file, so compare it with that replaced.
      expect(fast.stdout.toString().replaceAll(fastOut, 'OUT')).toBe(slow.stdout.toString().replaceAll(slowOut, 'OUT'));
      expect(JSON.parse(fast.stdout.toString())).toBeTypeOf('object');
    }
    const missing = join(testdataDir, 'no-such-file.o');
    const a = run('link', '-o', join(dir, 'm.o'), missing);
    const b = run('link', '-o', join(dir, 'm.o'), missing, '--no-json');
    expect(a.status).toBe(1);
    expect(a.stderr.toString()).toBe(b.stderr.toString());
    expect(a.stderr.toString()).toContain('no-such-file.o');
  });
});
