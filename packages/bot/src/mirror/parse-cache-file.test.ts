import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoadedFile } from '@aegis/core';
import { FileParsedFileStore } from './parse-cache-file.js';

const parsed = (file: string): LoadedFile => ({ file, kind: 'metadata', metadata: { file }, diagnostics: [] });

describe('FileParsedFileStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aegis-parse-cache-'));
    file = path.join(dir, 'cache.jsonl');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives back what was saved, in order, skipping a line torn by a crash', async () => {
    const store = new FileParsedFileStore(file, 'parser-1');
    expect(await store.load()).toEqual([]);
    await store.save([['a\0x.yaml', parsed('x.yaml')]]);
    await store.save([['b\0y.yaml', parsed('y.yaml')]]);
    await appendFile(file, '["c\\u0000z.yaml",{"file":');
    const again = new FileParsedFileStore(file, 'parser-1');
    expect(await again.load()).toEqual([
      ['a\0x.yaml', parsed('x.yaml')],
      ['b\0y.yaml', parsed('y.yaml')],
    ]);
  });

  it('trusts nothing written by another parser build, and starts the file over', async () => {
    await new FileParsedFileStore(file, 'parser-1').save([['a\0x.yaml', parsed('x.yaml')]]);
    const next = new FileParsedFileStore(file, 'parser-2');
    expect(await next.load()).toEqual([]);
    await next.save([['b\0y.yaml', parsed('y.yaml')]]);
    expect(await new FileParsedFileStore(file, 'parser-2').load()).toEqual([['b\0y.yaml', parsed('y.yaml')]]);
  });

  it("deletes a rewrite a crash cut short (its process gone, or this process's id), and keeps a running one's", async () => {
    const exited = spawn('true');
    await once(exited, 'exit');
    const names = [exited.pid, process.pid, process.ppid].map((pid) => `cache.jsonl.${pid}.tmp`);
    const another = `other.jsonl.${exited.pid}.tmp`;
    for (const name of [...names, another]) await writeFile(path.join(dir, name), 'x');
    await new FileParsedFileStore(file, 'parser-1').load();
    expect((await readdir(dir)).sort()).toEqual([names[2], another].sort());
  });
});
