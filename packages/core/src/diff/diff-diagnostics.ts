import type { Diagnostic } from '../diagnostic.js';
import type { Registry } from '../model.js';
import { dependentsOf } from '../graph/dependents-of.js';
import { diffRegistries } from './diff-registries.js';
import type { RegistryDiff, SchemaDiff } from './registry-diff.js';
import { compareSemver, isMajorBump, nextVersion, parseSemver } from './semver.js';

/**
 * The diff's findings as diagnostics: `breaking-change` for every breaking change (naming the services
 * that depend on the schema) and `version-not-bumped` for a changed schema whose version did not go up, or
 * went up less than a major step for a breaking change. Whole-set: every head file has an entry, empty
 * when clean; a removed schema is reported in its base file.
 */
export function diffDiagnostics(
  base: Registry,
  head: Registry,
  diff: RegistryDiff = diffRegistries(base, head),
): Map<string, Diagnostic[]> {
  const result = new Map<string, Diagnostic[]>();
  for (const file of head.files.keys()) result.set(file, []);
  const add = (diagnostic: Diagnostic): void => {
    const list = result.get(diagnostic.file) ?? [];
    list.push(diagnostic);
    result.set(diagnostic.file, list);
  };
  for (const problem of diff.renames.problems) {
    add({ code: 'invalid-rename', severity: 'error', ...problem });
  }
  for (const schema of diff.schemas) {
    const breaking = schema.changes.filter((c) => c.breaking);
    // Who depended on the schema before the change: core's one answer to "who must hear about it".
    const services =
      breaking.length > 0 && base.schemas.has(schema.name) ? dependentsOf(base, schema.name).services : [];
    for (const change of breaking) {
      const dependents = services.length > 0 ? ` Dependent services: ${services.join(', ')}.` : '';
      add({
        code: 'breaking-change',
        severity: 'error',
        message: `Breaking change in ${schema.name}: ${change.reason}.${dependents}`,
        hint: 'Keep the old shape and deprecate it first, or bump the major version and coordinate with the dependent services.',
        file: change.file,
        range: change.range,
      });
    }
    const bump = versionDiagnostic(schema);
    if (bump) add(bump);
  }
  for (const list of result.values())
    list.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        (a.code < b.code ? -1 : 1),
    );
  return result;
}

function versionDiagnostic(schema: SchemaDiff): Diagnostic | undefined {
  if (schema.status !== 'changed' || !schema.base || !schema.head) return undefined;
  const head = schema.head;
  const [from, to] = [parseSemver(schema.base.version?.value), parseSemver(head.version?.value)];
  if (!from || !to) return undefined; // an unparsable version is invalid-field's to report
  const breaking = schema.changes.some((c) => c.breaking);
  const range = head.version?.range ?? head.name.range;
  const make = (message: string): Diagnostic => ({
    code: 'version-not-bumped',
    severity: 'error',
    message,
    hint: `Set version: ${nextVersion(from, breaking)} and add a version_history entry.`,
    file: head.file,
    range,
  });
  const [was, now] = [schema.base.version?.value ?? '', head.version?.value ?? ''];
  if (compareSemver(to, from) <= 0) {
    return make(
      `${schema.name} changed (${schema.changes.length} change${schema.changes.length === 1 ? '' : 's'}) but its version ${now === was ? `stayed ${now}` : `went ${was} → ${now}`}: bump it.`,
    );
  }
  if (breaking && !isMajorBump(from, to)) {
    return make(
      `${schema.name} has breaking changes but its version went ${was} → ${now}: a breaking change needs a major bump.`,
    );
  }
  return undefined;
}
