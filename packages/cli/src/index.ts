export { main } from './main.js';
export type { CliIo, Command } from './command.js';
export { EXIT, UsageError } from './command.js';
export { diskFileSource } from './disk-file-source.js';
export { DIAGNOSTIC_FORMATS, flatten, formatDiagnostics, summarize } from './format-diagnostics.js';
export type { DiagnosticFormat, DiagnosticSummary } from './format-diagnostics.js';
