import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** This repository's example registry (users, policies, applications, audit_logs) as repository files. */
export async function exampleRegistry(): Promise<Record<string, string>> {
  const dir = path.join(ROOT, '.kiro/schemas');
  const files: Record<string, string> = {};
  for (const name of await readdir(dir)) files[`.kiro/schemas/${name}`] = await readFile(path.join(dir, name), 'utf8');
  return files;
}

/** `users.yaml` with a nullable column added (compatible) and the version bumped. */
export function addNullableColumn(users: string): string {
  return users
    .replace('version: 1.0.0', 'version: 1.1.0')
    .replace('columns:\n', 'columns:\n  - name: nickname\n    type: VARCHAR(40)\n    nullable: true\n\n');
}

/** `users.yaml` with the phone column removed (breaking) and a major bump. */
export function removePhone(users: string): string {
  return users.replace('version: 1.0.0', 'version: 2.0.0').replace(/ {2}- name: phone\n( {4}.*\n)+\n/, '');
}
