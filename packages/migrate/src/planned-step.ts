import type { MigrationStep } from '@aegis/core';

/** Where a step runs: inside the one transaction, or after it commits (each alone, recorded, resumable). */
export type StepPhase = 'transaction' | 'after-commit';

/** A plan step with its place in the plan (1-based) and the phase it runs in. */
export interface PlannedStep extends MigrationStep {
  position: number;
  phase: StepPhase;
}

/** What a long run reports as it goes: step N of M and the statement. */
export interface ProgressEvent {
  position: number;
  total: number;
  step: PlannedStep;
  /** True when the step is resumed from an earlier run that stopped after its commit. */
  resumed: boolean;
}

/** Receives progress events (the CLI prints them on stderr). */
export type ProgressListener = (event: ProgressEvent) => void;
