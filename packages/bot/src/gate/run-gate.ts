import type { CheckName, CheckResult } from '../checks/check-result.js';
import { supersededChecks } from '../checks/superseded-check.js';
import { decideChecks } from './decide-checks.js';
import type { Gate, GateTarget } from './gate-ports.js';
import { gatherFacts } from './gather-facts.js';
import type { KnownFacts } from './gather-facts.js';
import { publishResults } from './publish-results.js';

/**
 * The gate: gathers the facts of the named checks of one PR, decides them (pure), and publishes the results
 * in one step (audit, check runs, metrics, audit comment, auto-merge). Pull request events, re-runs and lock
 * re-evaluation all come through here, so they have the same side effects.
 */
export async function runGate(
  gate: Gate,
  target: GateTarget,
  names: readonly CheckName[],
  known?: KnownFacts,
): Promise<CheckResult[]> {
  const facts = await gatherFacts(gate, target, names, known);
  const results = facts.supersededBy
    ? supersededChecks(names, facts.supersededBy)
    : decideChecks(facts, gate.config.issueKeyPattern);
  await publishResults(gate, target, facts.linked, results);
  return results;
}
