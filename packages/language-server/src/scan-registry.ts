import type { LoadedFile } from '@aegis/core';
import { loadFiles } from './load-files.js';
import { listSchemaFolder } from './scan-schema-folder.js';

/** Where the start-up scan stands, for `$/progress` (the client shows it while the registry loads). */
export interface ScanProgress {
  begin(total: number): void;
  report(done: number, total: number): void;
  end(): void;
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
  try {
    await loadFiles(
      options.root,
      files,
      (batch) => {
        for (const entry of batch) loaded.push(entry);
        options.progress?.report(loaded.length, files.length);
      },
      options.worker,
    );
  } finally {
    options.progress?.end();
  }
  return loaded;
}
