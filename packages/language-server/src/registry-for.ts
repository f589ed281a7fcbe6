import { buildRegistry, didYouMean } from '@aegis/core';
import type { LoadedFile, Registry } from '@aegis/core';
import { cycleMembers } from './cycle-members.js';

/** What `registryFor` reads of the whole workspace. */
export interface RegistryIndex {
  registry: Registry;
  /** Files declaring a schema name. */
  declarersOf(name: string): Iterable<string>;
  /** Files whose references name a schema. */
  referrersOf(name: string): string[];
}

/**
 * The smallest registry on which core's `crossFileDiagnostics` answers for `files` exactly as on the whole
 * registry, so an edit costs what it touches rather than the registry's size: the files themselves; every
 * declarer of each name they declare or reference (so the same file wins a name and duplicates still show);
 * the did-you-mean candidate of each unknown reference, found among all names; and the members of each
 * one's foreign-key cycle (a strongly connected component is the same in any subgraph holding all of it).
 * The language server's tests compare the result with a full validation after thousands of random edits.
 */
export function registryFor(index: RegistryIndex, files: Iterable<string>): Registry {
  const { registry } = index;
  const names = new Set<string>();
  const extra = new Set<string>();
  for (const file of files) {
    extra.add(file);
    const schema = registry.files.get(file)?.schema;
    if (!schema) continue;
    names.add(schema.name.value);
    for (const ref of schema.references) {
      const target = ref.schema.value;
      const name = registry.schemas.has(target) ? target : didYouMean(target, registry.schemas.keys());
      if (name !== undefined) names.add(name);
    }
    for (const member of cycleMembers(registry, schema.name.value, (n) => index.referrersOf(n))) {
      const name = registry.files.get(member)?.schema?.name.value;
      if (name !== undefined) names.add(name);
    }
  }
  for (const name of names) for (const file of index.declarersOf(name)) extra.add(file);
  const loaded: LoadedFile[] = [];
  for (const file of extra) {
    const entry = registry.files.get(file);
    if (entry) loaded.push(entry);
  }
  return buildRegistry(loaded);
}
