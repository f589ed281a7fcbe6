import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedFile } from '@aegis/core';
import { parserFingerprint } from '@aegis/core/parser-fingerprint';
import type { CacheStore } from '@aegis/freeze';
import { ParseCache, type ParsedFileStore } from './parse-cache.js';

/** Namespaces of parsed files in the store: one per parser build (`parse:<fingerprint>`). */
const PREFIX = 'parse:';

/**
 * Parsed files in the app's store (`Stores.cache`, its SQL database): they outlive restarts and deploys of the
 * same parser, and every replica reads what another parsed. Entries live under the parser build's fingerprint:
 * a deploy with another parser trusts nothing it did not produce, and deletes the entries of every other build
 * when it starts (in a rolling deploy the replicas still running the old build add a few back, dropped at the
 * next start). A start also deletes all but the newest entries the cache holds in memory, so the table stays
 * within what one process loads. Keys are `blobId\0path`; the store's text cannot hold NUL, so a space stands for it there (blob
 * ids hold none).
 */
export class StoredParsedFiles implements ParsedFileStore {
  private readonly namespace: string;

  constructor(
    private readonly store: CacheStore,
    fingerprint: string,
  ) {
    this.namespace = `${PREFIX}${fingerprint}`;
  }

  async load(max: number): Promise<[string, LoadedFile][]> {
    await this.store.clear(PREFIX, this.namespace);
    await this.store.trim(this.namespace, max);
    return parsedEntries(await this.store.entries(this.namespace, max));
  }

  async find(keys: readonly string[]): Promise<[string, LoadedFile][]> {
    return parsedEntries(await this.store.get(this.namespace, keys.map(storedKey)));
  }

  save(entries: [string, LoadedFile][]): Promise<void> {
    return this.store.add(
      this.namespace,
      entries.map(([key, file]) => [storedKey(key), JSON.stringify(file)]),
    );
  }
}

/** The cache's key `blobId\0path` as the store keeps it, `blobId path`. */
const storedKey = (key: string): string => key.replace('\0', ' ');

/** Stored entries as the cache keeps them: the key's NUL back, the value parsed (one that is not JSON skipped). */
function parsedEntries(rows: readonly [string, string][]): [string, LoadedFile][] {
  const out: [string, LoadedFile][] = [];
  for (const [key, value] of rows) {
    try {
      out.push([key.replace(' ', '\0'), JSON.parse(value) as LoadedFile]);
    } catch {
      // Not JSON (written by hand, or damaged): that file is parsed again.
    }
  }
  return out;
}

/**
 * The app's parse cache, kept in its store so the first event after a restart, or on a new replica, parses only
 * what no replica parsed before; loaded here, at start-up, rather than by the first event (at 10,000 schemas
 * a few hundred milliseconds). The file an earlier version kept beside the mirrors is deleted.
 */
export async function persistentParseCache(store: CacheStore, mirrorDir: string): Promise<ParseCache> {
  await rm(path.join(mirrorDir, '.aegis-parse-cache.jsonl'), { force: true });
  const cache = new ParseCache(100_000, new StoredParsedFiles(store, await parserFingerprint()));
  await cache.warm();
  return cache;
}
