import type { CheckResult } from './check-result.js';
import { clip } from './check-result.js';

/** The two REST calls the bot makes for checks (an Octokit subset, so tests and benches can count them). */
export interface ChecksApi {
  create(params: Record<string, unknown>): Promise<{ data: { id: number } }>;
  update(params: Record<string, unknown>): Promise<unknown>;
}

/** GitHub accepts at most 50 annotations per request. */
export const ANNOTATION_BATCH = 50;

/**
 * Publishes one check run on `headSha`, completed at once: the first 50 annotations ride on the create call,
 * the rest follow in PATCHes of 50 each (GitHub appends them).
 */
export async function publishCheck(
  api: ChecksApi,
  repo: { owner: string; repo: string },
  headSha: string,
  result: CheckResult,
  detailsUrl?: string,
): Promise<number> {
  const output = (annotations: CheckResult['annotations']): Record<string, unknown> => ({
    title: result.title,
    summary: clip(result.summary),
    ...(result.text ? { text: clip(result.text) } : {}),
    annotations,
  });
  const batches: CheckResult['annotations'][] = [];
  for (let i = 0; i < result.annotations.length; i += ANNOTATION_BATCH) {
    batches.push(result.annotations.slice(i, i + ANNOTATION_BATCH));
  }
  const created = await api.create({
    ...repo,
    name: result.name,
    head_sha: headSha,
    status: 'completed',
    conclusion: result.conclusion,
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
    output: output(batches[0] ?? []),
  });
  for (const batch of batches.slice(1)) {
    await api.update({ ...repo, check_run_id: created.data.id, output: output(batch) });
  }
  return created.data.id;
}
