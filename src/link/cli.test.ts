/**
 * The `gen object` and `link` command modules, run through yargs in
 * process (src/cli/main.ts mounts them; that wiring belongs to the CLI).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { genObjectSubcommand } from '../cli/commands/gen-object.js';
import { linkCommand } from '../cli/commands/link.js';
import { testdataDir } from '../test-support/corpus.js';
import { Linker } from './index.js';

const yargs = createRequire(import.meta.url)('yargs/yargs') as (args: string[]) => Argv;
const obj = (name: string) => join(testdataDir, 'link/obj', `${name}.bpfel.o`);
const tmp = mkdtempSync('/tmp/bpfkit-link-cli-');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const captured = vi.hoisted(() => ({ out: '' }));
vi.mock('../cli/output.js', () => ({
  writeStdout: (d: string | Uint8Array) => {
    captured.out += typeof d === 'string' ? d : Buffer.from(d).toString();
  },
}));

async function run(args: string[]): Promise<string> {
  captured.out = '';
  {
    let y = yargs(args).strict().exitProcess(false).fail((msg, err) => {
      throw err ?? new Error(msg);
    });
    y = y.command('gen', 'generators', (g) => genObjectSubcommand(g).demandCommand(1));
    y = linkCommand(y);
    await y.parseAsync();
  }
  return captured.out;
}

function expected(files: string[]): Buffer {
  const l = new Linker();
  for (const f of files) l.addFile(f);
  return Buffer.from(l.finalize());
}

describe('bpfkit gen object / bpfkit link', () => {
  it('gen object OUT IN... writes the linked object', async () => {
    const out = join(tmp, 'a.o');
    await run(['gen', 'object', out, obj('weak_a'), obj('weak_b')]);
    expect(readFileSync(out).equals(expected([obj('weak_a'), obj('weak_b')]))).toBe(true);
  });

  it('link -o OUT IN... --json prints a summary', async () => {
    const out = join(tmp, 'b.o');
    const text = await run(['link', '-o', out, obj('lib1'), obj('lib2'), '--json']);
    const s = JSON.parse(text.slice(text.indexOf('{')));
    expect(s.inputs).toEqual([obj('lib1'), obj('lib2')]);
    expect(s.unresolved).toEqual(['app_limit']);
    expect(s.globals.map((g: { name: string }) => g.name).sort()).toEqual(['LICENSE', 'lib_clamp', 'lib_scale', 'lib_state']);
    expect(s.bytes).toBe(readFileSync(out).byteLength);
  });

  it('refuses an output that is one of the inputs', async () => {
    await expect(run(['link', '-o', obj('weak_a'), obj('weak_a'), obj('weak_b')])).rejects.toThrow(/is also an input/);
  });
});
