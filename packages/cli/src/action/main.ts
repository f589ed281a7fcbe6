// The GitHub Action's entry (action.yml runs its bundle, dist/action.js, built by scripts/build-action.mjs).
import { runAction } from './run-action.js';

await runAction();
