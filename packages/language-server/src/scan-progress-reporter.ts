import type { Connection, WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { ScanProgress } from './scan-registry.js';

/**
 * Reports the start-up scan as LSP work-done progress (`window/workDoneProgress/create`, then `$/progress`
 * begin, report, end), for clients that advertise `window.workDoneProgress`. Reports at most every 5 %, and
 * last how the files were loaded (worker threads or in-process).
 */
export function scanProgressReporter(connection: Connection, title = 'Aegis: loading schemas'): ScanProgress {
  let reporter: Promise<WorkDoneProgressServerReporter | undefined> = Promise.resolve(undefined);
  let shown = -1;
  const send = (action: (r: WorkDoneProgressServerReporter) => void): void => {
    reporter = reporter.then((r) => {
      if (r) action(r);
      return r;
    });
  };
  return {
    begin(total) {
      reporter = connection.window.createWorkDoneProgress().then(
        (r) => (r.begin(title, 0, `0/${total} files`), r),
        () => undefined,
      );
    },
    report(done, total) {
      const percentage = total === 0 ? 100 : Math.floor((done * 100) / total);
      if (percentage < shown + 5 && done < total) return;
      shown = percentage;
      send((r) => r.report(percentage, `${done}/${total} files`));
    },
    end(message) {
      // The reporter's `done()` carries no message: the last report says how the files were loaded.
      send((r) => {
        if (message !== undefined) r.report(100, message);
        r.done();
      });
    },
  };
}
