import type { Diagnostic } from '../diagnostic.js';
import { makeDiagnostic } from '../make-diagnostic.js';
import type { Registry, Schema } from '../model.js';

/** duplicate-schema: two or more files declare the same name; each of them is told where the others are. */
export function checkDuplicateSchemas(registry: Registry, wanted: ReadonlySet<string>): Diagnostic[] {
  const byName = new Map<string, Schema[]>();
  for (const loaded of registry.files.values()) {
    if (!loaded.schema) continue;
    const list = byName.get(loaded.schema.name.value);
    if (list) list.push(loaded.schema);
    else byName.set(loaded.schema.name.value, [loaded.schema]);
  }
  const diagnostics: Diagnostic[] = [];
  for (const [name, schemas] of byName) {
    if (schemas.length < 2) continue;
    for (const schema of schemas) {
      if (!wanted.has(schema.file)) continue;
      const others = schemas.filter((other) => other !== schema);
      diagnostics.push(
        makeDiagnostic(
          'duplicate-schema',
          schema.file,
          schema.name.range,
          `Schema "${name}" is also declared in ${others.map((o) => o.file).join(', ')}`,
          {
            hint: 'Each table is declared in exactly one file: remove or rename the other declarations.',
            related: others.map((other) => ({
              file: other.file,
              range: other.name.range,
              message: `"${name}" is also declared here`,
            })),
          },
        ),
      );
    }
  }
  return diagnostics;
}
