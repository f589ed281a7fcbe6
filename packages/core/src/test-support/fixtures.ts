import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostic.js';
import { memoryFileSource } from '../file-source.js';
import { loadRegistry } from '../load/load-registry.js';
import type { Registry } from '../model.js';
import type { Range } from '../position.js';
import { validateRegistry } from '../validate/validate-registry.js';

/** The folder a fixture scenario's files live in. */
export function fixtureDir(scenario: string): string {
  return fileURLToPath(new URL(`../__fixtures__/${scenario}/`, import.meta.url));
}

/** A scenario's files as the CLI would list them: `.kiro/schemas/<file>` → text. */
export function fixtureFiles(scenario: string): Record<string, string> {
  const dir = fixtureDir(scenario);
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) files[`.kiro/schemas/${name}`] = readFileSync(dir + name, 'utf8');
  return files;
}

/** The bundled example registry (`.kiro/schemas` of this repository), listed as the CLI lists it. */
export function exampleFiles(): Record<string, string> {
  const dir = fileURLToPath(new URL('../../../../.kiro/schemas/', import.meta.url));
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [`.kiro/schemas/${name}`, readFileSync(dir + name, 'utf8')]),
  );
}

/** A validated fixture registry, with each file's text for locating positions. */
export interface ValidatedFixture {
  registry: Registry;
  diagnostics: Map<string, Diagnostic[]>;
  /** The text of `.kiro/schemas/<name>`. */
  text(name: string): string;
  /** The diagnostics of `.kiro/schemas/<name>`, reduced to code, message and range. */
  found(name: string): { code: string; message: string; range: Range }[];
}

/** Loads and validates a fixture scenario the way `aegis validate` does. */
export async function validateFixture(scenario: string): Promise<ValidatedFixture> {
  const files = fixtureFiles(scenario);
  const registry = await loadRegistry(memoryFileSource(files));
  const diagnostics = validateRegistry(registry);
  const text = (name: string): string => {
    const found = files[`.kiro/schemas/${name}`];
    if (found === undefined) throw new Error(`fixture ${scenario} has no ${name}`);
    return found;
  };
  const found = (name: string): { code: string; message: string; range: Range }[] =>
    (diagnostics.get(`.kiro/schemas/${name}`) ?? []).map(({ code, message, range }) => ({ code, message, range }));
  return { registry, diagnostics, text, found };
}
