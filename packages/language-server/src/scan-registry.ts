import type { LoadedFile } from '@aegis/core';
import { loadFiles } from './load-files.js';
import type { LoadReport } from './load-files.js';
import { listSchemaFolder } from './scan-schema-folder.js';

/** Where the start-up scan stands, for `$/progress` (the client shows it while the registry loads). */
export interface ScanProgress {
  begin(total: number): void;
  report(done: number, total: number): void;
  /** `message`: how the files were loaded (worker threads or in-process), shown with the progress. */
  end(message?: string): void;
}

/** What the scan reads and whom it tells. */
export interface ScanOptions {
  root: string;
  folder: string;
  include: (file: string) => boolean;
  progress?: ScanProgress;
  /** The worker script (default: the built one beside this module, if any). */
  worker?: URL;
}

/**
 * The start-up scan: lists the schema folder and loads every file (worker threads where available), off the
 * request queue, so open files are answered from what is known while it runs. Returns the compact entries.
 */
export async function scanRegistry(options: ScanOptions): Promise<LoadedFile[]> {
  const files = await listSchemaFolder(options.root, options.folder, options.include);
  const loaded: LoadedFile[] = [];
  options.progress?.begin(files.length);
  let report: LoadReport | undefined;
  try {
    report = await loadFiles(
      options.root,
      files,
      (batch) => {
        for (const entry of batch) loaded.push(entry);
        options.progress?.report(loaded.length, files.length);
      },
      options.worker,
    );
  } finally {
    options.progress?.end(report && describeLoad(files.length, report));
  }
  return loaded;
}

/** `1000 files loaded in 2 worker threads`, `50 files loaded in-process`, and files a failed worker left. */
export function describeLoad(total: number, { threads, inProcess }: LoadReport): string {
  const files = `${total} ${total === 1 ? 'file' : 'files'} loaded`;
  if (threads === 0) return `${files} in-process`;
  const where = `${files} in ${threads} worker ${threads === 1 ? 'thread' : 'threads'}`;
  return inProcess > 0 ? `${where} (${inProcess} in-process after a worker failed)` : where;
}
