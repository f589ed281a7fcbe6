import { formatDifference, type CatalogDifference } from './catalog.js';
import { MigrateError } from './errors.js';

/** The database was changed by hand since the last apply: refused unless the caller allows drift. */
export class DriftError extends MigrateError {
  override name = 'DriftError';
  constructor(readonly differences: CatalogDifference[]) {
    const shown = differences.slice(0, 3).map(formatDifference).join('; ');
    const more = differences.length > 3 ? `; and ${differences.length - 3} more` : '';
    super(
      'drift',
      `the database differs from the recorded registry version in ${differences.length} place${differences.length === 1 ? '' : 's'} (${shown}${more}). Undo the hand changes, or rerun with --allow-drift to migrate anyway.`,
    );
  }
}
