/** The four check names, stable for branch protection (SPEC §4). */
export const CHECK_NAMES = ['aegis/validate', 'aegis/rbac', 'aegis/audit', 'aegis/freeze'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** One check-run annotation as GitHub takes it (1-based lines). */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

/**
 * What a check decided, ready to publish: a conclusion, a readable summary, and annotations. `cancelled`: a
 * head a newer push replaced before it was judged (`supersededChecks`).
 */
export interface CheckResult {
  name: CheckName;
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled';
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
}

/** GitHub caps a check-run output at 65535 characters; keep summaries under it with a note. */
export function clip(markdown: string, max = 60_000): string {
  return markdown.length <= max ? markdown : `${markdown.slice(0, max)}\n\n… (truncated)`;
}
