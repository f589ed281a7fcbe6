import { describe, expect, it } from 'vitest';
import { parseCommand, parseDuration, parseScope } from './parse-command.js';

describe('parseCommand', () => {
  it('reads each command and its options', () => {
    expect(parseCommand('/status')).toEqual({ kind: 'status' });
    expect(parseCommand('\n  /lock users --ttl 2h --reason "moving emails" today\nthanks')).toEqual({
      kind: 'lock',
      target: { scope: 'RESOURCE', resourceType: 'schema', resourceId: 'users' },
      ttlMs: 2 * 3600_000,
      reason: 'moving emails today',
    });
    expect(parseCommand('/lock')).toEqual({ kind: 'lock', target: { scope: 'BRANCH' } });
    expect(parseCommand('/lock schema')).toMatchObject({ target: { scope: 'RESOURCE_TYPE', resourceType: 'schema' } });
    expect(parseCommand('/unlock lock-7')).toEqual({ kind: 'unlock', lockId: 'lock-7' });
    expect(parseCommand('/force-unlock indexer stuck since 3am')).toEqual({
      kind: 'force-unlock',
      reason: 'indexer stuck since 3am',
    });
  });

  it('ends a reason at the next option (#16: `--reason "x" --ttl 5m` kept its TTL in the reason)', () => {
    const table: [string, { ttlMs?: number; reason?: string }][] = [
      ['/lock users --reason "x" --ttl 5m', { ttlMs: 300_000, reason: 'x' }],
      ['/lock --reason moving emails --ttl 2h', { ttlMs: 7_200_000, reason: 'moving emails' }],
      ['/lock --ttl 1d --reason use --force with care', { ttlMs: 86_400_000, reason: 'use --force with care' }],
      ['/lock --reason', {}],
    ];
    for (const [body, want] of table) {
      const cmd = parseCommand(body);
      expect(cmd?.kind, body).toBe('lock');
      expect({ ttlMs: undefined, reason: undefined, ...cmd }, body).toMatchObject({
        ttlMs: undefined,
        reason: undefined,
        ...want,
      });
    }
    expect(parseCommand('/lock --reason x --ttl soon')).toMatchObject({ kind: 'unknown' });
  });

  it('explains mistakes and stays quiet on discussion', () => {
    expect(parseCommand('/force-unlock')).toMatchObject({ kind: 'unknown', problem: '`/force-unlock` needs a reason' });
    expect(parseCommand('/lock --ttl soon')).toMatchObject({ kind: 'unknown' });
    expect(parseCommand('/deploy now')).toMatchObject({ kind: 'unknown', problem: 'unknown command `/deploy`' });
    expect(parseCommand('LGTM, ship it')).toBeUndefined();
  });

  it('reads only the first non-empty line: never later lines, fences or quotes; unknown words in talk stay silent', () => {
    const table: [string, string | undefined][] = [
      ['please look\n/lock users', undefined],
      ['```\n/force-unlock stuck\n```', undefined],
      ['> /force-unlock quoted\n\nno', undefined],
      ['/cc @acme/devs could you look?', undefined],
      ['/deploy now\nand then more', undefined],
      ['/deploy now', 'unknown'],
      ['/force-unlock\nwhy: stuck', 'unknown'],
      ['\n\n/status', 'status'],
    ];
    for (const [body, kind] of table) expect(parseCommand(body)?.kind, JSON.stringify(body)).toBe(kind);
  });

  it('parses durations and scopes', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('5 minutes')).toBeUndefined();
    expect(parseScope('branch')).toEqual({ scope: 'BRANCH' });
    expect(parseScope('index')).toEqual({ scope: 'RESOURCE_TYPE', resourceType: 'index' });
    expect(parseScope('rbac')).toEqual({ scope: 'RESOURCE_TYPE', resourceType: 'rbac' });
    expect(parseScope('column:users.email')).toEqual({
      scope: 'RESOURCE',
      resourceType: 'column',
      resourceId: 'users.email',
    });
    expect(parseScope('object_type:orders')).toEqual({
      scope: 'RESOURCE',
      resourceType: 'object_type',
      resourceId: 'orders',
    });
  });
});
