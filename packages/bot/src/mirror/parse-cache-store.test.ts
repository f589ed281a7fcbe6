import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedFile } from '@aegis/core';
import { migrate, PgliteClient, SqlCache } from '@aegis/freeze';
import { StoredParsedFiles } from './parse-cache-store.js';

const parsed = (file: string): LoadedFile => ({ file, kind: 'metadata', metadata: { file }, diagnostics: [] });

describe('StoredParsedFiles', () => {
  let sql: PgliteClient;
  let cache: SqlCache;
  beforeAll(async () => {
    sql = await PgliteClient.open();
    await migrate(sql);
    cache = new SqlCache(sql);
  });
  afterAll(async () => sql?.close());

  it('gives back what was saved, keys with their NUL, skipping a value that is not JSON', async () => {
    const store = new StoredParsedFiles(cache, 'parser-1');
    expect(await store.load(100)).toEqual([]);
    await store.save([['a\0s/x y.yaml', parsed('s/x y.yaml')]]);
    await store.save([['b\0y.yaml', parsed('y.yaml')]]);
    await cache.add('parse:parser-1', [['c z.yaml', '{"file":']]);
    // Another replica, or this one after a restart.
    expect(await new StoredParsedFiles(cache, 'parser-1').load(100)).toEqual([
      ['a\0s/x y.yaml', parsed('s/x y.yaml')],
      ['b\0y.yaml', parsed('y.yaml')],
    ]);
    // What another replica saved after this one loaded: found by key.
    expect(await store.find(['b\0y.yaml', 'c\0z.yaml', 'd\0w.yaml'])).toEqual([['b\0y.yaml', parsed('y.yaml')]]);
  });

  it('trusts nothing another parser build wrote, and deletes it when it starts', async () => {
    const next = new StoredParsedFiles(cache, 'parser-2');
    expect(await next.load(100)).toEqual([]);
    expect(await cache.entries('parse:parser-1', 100)).toEqual([]);
    await next.save([['b\0y.yaml', parsed('y.yaml')]]);
    expect(await new StoredParsedFiles(cache, 'parser-2').load(100)).toEqual([['b\0y.yaml', parsed('y.yaml')]]);
  });

  it('loads the newest entries a process holds, and deletes the older ones', async () => {
    const store = new StoredParsedFiles(cache, 'parser-3');
    await store.save(['a', 'b', 'c'].map((n) => [`${n}\0${n}.yaml`, parsed(`${n}.yaml`)]));
    expect((await new StoredParsedFiles(cache, 'parser-3').load(2)).map((e) => e[0])).toEqual([
      'b\0b.yaml',
      'c\0c.yaml',
    ]);
    expect((await cache.entries('parse:parser-3', 100)).length).toBe(2);
  });
});
