import { parseArgs } from 'node:util';
import { UsageError } from './command.js';

/** The options every command declares: all take a string value except flags. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface ParsedOptions {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** `node:util` parseArgs with its errors turned into one-line usage errors that name the command. */
export function parseOptions(command: string, args: string[], options: OptionSpec): ParsedOptions {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${reason} (see: aegis ${command} --help)`);
  }
}

/** Reads `--format` and refuses values the command does not offer. */
export function pickFormat<F extends string>(command: string, value: unknown, formats: readonly F[]): F {
  const format = (value ?? formats[0]) as F;
  if (!formats.includes(format)) {
    throw new UsageError(
      `unknown --format ${String(value)}: use one of ${formats.join(', ')} (see: aegis ${command} --help)`,
    );
  }
  return format;
}

/** Parses a positive integer option such as `--depth 2`. */
export function positiveInt(command: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${flag} must be a whole number, got "${value}" (see: aegis ${command} --help)`);
  return n;
}

/** Reads a string option, refusing a flag used without its value. */
export function stringOption(values: ParsedOptions['values'], name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`--${name} takes one value`);
  return value;
}
