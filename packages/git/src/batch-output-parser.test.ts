import { describe, expect, it } from 'vitest';
import { BatchOutputParser, type GitObject } from './batch-output-parser.js';

const OID = 'a'.repeat(40);
const answer = (content: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${OID} blob ${content.length}\n`), content, Buffer.from('\n')]);

function parseInChunks(stream: Buffer, size: number): (GitObject | 'missing')[] {
  const seen: (GitObject | 'missing')[] = [];
  const parser = new BatchOutputParser(
    (o) => seen.push({ ...o, content: Buffer.from(o.content) }),
    () => seen.push('missing'),
  );
  for (let i = 0; i < stream.length; i += size) parser.push(stream.subarray(i, i + size));
  return seen;
}

describe('BatchOutputParser', () => {
  const binary = Buffer.from([0, 10, 13, 255, 10, 10]); // newlines inside content must not confuse it
  const text = Buffer.from('name: users\nversion: 1.0.0\n');
  const stream = Buffer.concat([
    answer(text),
    Buffer.from('HEAD:my schemas 2 missing\n'), // a name with spaces and a number, asked for and not found
    answer(Buffer.alloc(0)),
    answer(binary),
    Buffer.from('abc ambiguous\n'),
    answer(Buffer.alloc(70_000, 0x61)),
  ]);

  it.each([1, 2, 3, 7, 41, 64, 4096, stream.length])(
    'gives the same answers whatever the chunk size (%i bytes)',
    (size) => {
      const seen = parseInChunks(stream, size);
      expect(seen.map((s) => (s === 'missing' ? s : `${s.oid.slice(0, 4)} ${s.type} ${s.content.length}`))).toEqual([
        'aaaa blob 27',
        'missing',
        'aaaa blob 0',
        'aaaa blob 6',
        'missing',
        'aaaa blob 70000',
      ]);
      expect((seen[0] as GitObject).content.toString()).toBe(text.toString());
      expect([...(seen[3] as GitObject).content]).toEqual([...binary]);
    },
  );
});
