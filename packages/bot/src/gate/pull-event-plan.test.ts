import { describe, expect, it } from 'vitest';
import { CHECK_NAMES } from '../checks/check-result.js';
import { pullEventPlan, rerunPlan } from './pull-event-plan.js';
import type { PullEventPlan } from './pull-event-plan.js';

const all = (once?: 'pull_request' | 'check_suite'): PullEventPlan =>
  once ? { kind: 'checks', names: CHECK_NAMES, once } : { kind: 'checks', names: CHECK_NAMES };

describe('pullEventPlan', () => {
  it.each<[string, string, { body?: unknown; base?: unknown } | undefined, PullEventPlan]>([
    ['a new PR: the four, once for its head', 'opened', undefined, all('pull_request')],
    ['a push: the four, once for the new head', 'synchronize', undefined, all('pull_request')],
    ['reopened: the four again, whatever ran on that head before', 'reopened', undefined, all()],
    [
      'the description edited: audit only',
      'edited',
      { body: { from: '' } },
      { kind: 'checks', names: ['aegis/audit'] },
    ],
    ['the base branch changed: the four (same head, other base)', 'edited', { base: { ref: { from: 'dev' } } }, all()],
    ['the title edited: nothing', 'edited', {}, { kind: 'nothing' }],
    ['closed or merged: release its locks', 'closed', undefined, { kind: 'closed' }],
    ['an action the app does not act on', 'labeled', undefined, { kind: 'nothing' }],
  ])('%s', (_, action, changes, plan) => expect(pullEventPlan(action, changes)).toEqual(plan));
});

describe('rerunPlan', () => {
  it.each<[string, 'check_suite' | 'check_run', string, string | undefined, PullEventPlan]>([
    ["GitHub's suite for a push: the four, once per head", 'check_suite', 'requested', undefined, all('check_suite')],
    ['someone asked for the suite again: the four, always', 'check_suite', 'rerequested', undefined, all()],
    [
      'someone re-ran one of ours: that one',
      'check_run',
      'rerequested',
      'aegis/rbac',
      { kind: 'checks', names: ['aegis/rbac'] },
    ],
    ["someone re-ran another app's check: nothing", 'check_run', 'rerequested', 'ci/build', { kind: 'nothing' }],
  ])('%s', (_, event, action, name, plan) => expect(rerunPlan(event, action, name)).toEqual(plan));
});
