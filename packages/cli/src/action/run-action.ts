import * as core from '@actions/core';
import type { Diagnostic } from '@aegis/core';
import { formatVerifyResult, loadRegistryVersion, verifyMigration } from '@aegis/migrate';
import { checkGitChange, type CheckedChange } from '../check-git-change.js';
import { flatten } from '../format-diagnostics.js';
import { actionSummary } from './action-summary.js';
import { readActionSettings, type ActionSettings } from './action-settings.js';

/** One workflow annotation per diagnostic, on its file and lines (1-based there). */
function annotate(d: Diagnostic): void {
  const properties: core.AnnotationProperties = {
    title: `aegis ${d.code}`,
    file: d.file,
    startLine: d.range.start.line + 1,
    endLine: d.range.end.line + 1,
    startColumn: d.range.start.character + 1,
    endColumn: d.range.end.character + 1,
  };
  const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
  if (d.severity === 'error') core.error(message, properties);
  else if (d.severity === 'warning') core.warning(message, properties);
  else core.notice(message, properties);
}

/** Proves the change's SQL on a throwaway database; returns the report line and whether it held. */
async function proveMigration(settings: ActionSettings, checked: CheckedChange, url: string) {
  const options = { schemaDir: settings.schemaDir };
  const base = await loadRegistryVersion(checked.root, checked.fork, options);
  const head = await loadRegistryVersion(checked.root, 'HEAD', options);
  const result = await verifyMigration({ databaseUrl: url, base, head, scratch: 'database' });
  const report = formatVerifyResult(result, base, head).trim();
  if (!result.ok) core.error(report, { title: 'aegis migration-proof' });
  return { ok: result.ok, report };
}

function shouldFail(settings: ActionSettings, checked: CheckedChange, errors: number): string | undefined {
  const { warnings } = checked.summary;
  if (settings.failOn === 'error' && errors > 0) return `${errors} error(s)`;
  if (settings.failOn === 'warning' && errors + warnings > 0) return `${errors} error(s), ${warnings} warning(s)`;
  if (settings.failOn === 'breaking' && checked.diff.breaking) return 'breaking changes';
  return undefined;
}

/**
 * The GitHub Action: checks the pull request's registry against its base, prints annotations, writes the
 * diff with its ERD to the job summary, sets the outputs `breaking`, `errors`, `changed`, and fails the job
 * as `fail-on` says. Never throws: any failure fails the job with one line.
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const settings = await readActionSettings(env);
    const checked = await checkGitChange(settings.workspace, settings.base, { schemaDir: settings.schemaDir });
    const diagnostics = flatten(checked.results);
    diagnostics.forEach(annotate);
    const proof = settings.verifyDatabaseUrl
      ? await proveMigration(settings, checked, settings.verifyDatabaseUrl)
      : undefined;
    const errors = checked.summary.errors + (proof && !proof.ok ? 1 : 0);
    const changed = checked.diff.schemas.filter((s) => s.status !== 'unchanged').length;
    core.setOutput('breaking', String(checked.diff.breaking));
    core.setOutput('errors', String(errors));
    core.setOutput('changed', String(changed));
    await core.summary.addRaw(actionSummary(settings, checked, diagnostics, errors, proof?.report)).write();
    core.info(`aegis: ${errors} error(s), ${checked.summary.warnings} warning(s), ${changed} schema(s) changed`);
    const failure = shouldFail(settings, checked, errors);
    if (failure) core.setFailed(`aegis: ${failure} (fail-on: ${settings.failOn}); see the annotations and the summary`);
  } catch (error) {
    core.setFailed(`aegis: ${error instanceof Error ? error.message : String(error)}`);
  }
}
