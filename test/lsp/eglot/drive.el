;;; drive.el --- drives the Aegis language server through Emacs eglot 1.9 (batch)  -*- lexical-binding: t -*-
;; The way a user's config would: a YAML major mode, `eglot-server-programs' naming the server, eglot started
;; on the buffer, and what the server answers applied with eglot's own functions. Each step records what Emacs
;; shows (flymake's diagnostics in a buffer, the files on disk) in a JSON file the test reads.
;; Environment: AEGIS_ROOT (the workspace), AEGIS_SERVER (the server's entry), AEGIS_NODE (node),
;; AEGIS_OUT (where the JSON goes), AEGIS_TIMEOUT (seconds any one wait may take).
(setq package-user-dir (make-temp-file "aegis-elpa" t))
(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa") ; Debian's elpa-eglot
(package-initialize)
(require 'eglot)
(require 'json)

(defvar aegis-root (file-name-as-directory (getenv "AEGIS_ROOT")))
(defvar aegis-timeout (string-to-number (or (getenv "AEGIS_TIMEOUT") "60")))
(defvar aegis-results nil "Steps recorded, newest first.")
(defvar aegis-published (make-hash-table :test 'equal) "URI → codes of the last publishDiagnostics eglot received.")
(defvar aegis-watch-globs nil "Glob patterns of the watchers the server registered with eglot.")
(defvar aegis-watched-events 0 "workspace/didChangeWatchedFiles notifications eglot sent.")

;; Emacs 28 has no YAML mode: a minimal one, so eglot sends languageId "yaml".
(define-derived-mode yaml-mode text-mode "YAML")
(add-to-list 'auto-mode-alist '("\\.ya?ml\\'" . yaml-mode))
(setq eglot-server-programs
      `((yaml-mode . (,(getenv "AEGIS_NODE") ,(getenv "AEGIS_SERVER") "--stdio")))
      eglot-sync-connect t
      eglot-connect-timeout aegis-timeout
      eglot-send-changes-idle-time 0.1
      flymake-no-changes-timeout 0.1
      create-lockfiles nil
      make-backup-files nil)
;; The workspace is the project (not the folder of the file opened), as a version-controlled one would be.
(add-hook 'project-find-functions (lambda (_dir) (cons 'transient aegis-root)))

;; What eglot receives and sends, seen without changing it.
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (puthash (plist-get params :uri)
                         (aegis-sorted (mapcar (lambda (d) (plist-get d :code)) (plist-get params :diagnostics)))
                         aegis-published))))
(advice-add 'eglot-register-capability :before
            (lambda (_server method _id &rest params)
              (when (eq method 'workspace/didChangeWatchedFiles)
                (dolist (w (append (plist-get params :watchers) nil))
                  (push (plist-get w :globPattern) aegis-watch-globs)))))
(advice-add 'jsonrpc-notify :before
            (lambda (_conn method &rest _)
              (when (eq method :workspace/didChangeWatchedFiles) (setq aegis-watched-events (1+ aegis-watched-events)))))

(defun aegis-record (name value) (push (cons name value) aegis-results))
(defun aegis-sorted (codes)
  "CODES as strings, sorted, in a vector (JSON encodes it as an array, empty or not)."
  (vconcat (sort (mapcar (lambda (c) (format "%s" c)) codes) #'string<)))
(defun aegis-published (file)
  "The codes of the last publishDiagnostics eglot received for FILE (nil if none came)."
  (gethash (aegis-uri file) aegis-published))
(defun aegis-path (file) (expand-file-name file aegis-root))
(defun aegis-uri (file) (eglot--path-to-uri (aegis-path file)))

(defun aegis-wait (what test)
  "Process events (server output, timers, file notifications) until TEST holds; fail after `aegis-timeout'."
  (let ((deadline (+ (float-time) aegis-timeout)))
    (while (not (funcall test))
      (when (> (float-time) deadline) (error "Timed out waiting for %s" what))
      ;; In batch mode `read-event' with a timeout also delivers file notifications (`accept-process-output'
      ;; alone does not): eglot's watchers need them.
      (read-event nil nil 0.02))))

(defun aegis-open (file)
  (let ((buffer (find-file-noselect (aegis-path file))))
    (with-current-buffer buffer
      (unless (eglot-current-server) (apply #'eglot (eglot--guess-contact)))
      ;; Flymake defers its first run to the command loop, which batch mode has not: start it as that would.
      (flymake-start))
    buffer))

(defun aegis-codes (file)
  "The codes flymake shows in FILE's buffer, sorted."
  (with-current-buffer (find-buffer-visiting (aegis-path file))
    (aegis-sorted (mapcar (lambda (d) (plist-get (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d)) :code))
                          (flymake-diagnostics)))))

(defun aegis-goto (buffer needle &optional back)
  "Point just after NEEDLE in BUFFER (BACK characters before that)."
  (set-buffer buffer)
  (goto-char (point-min))
  (search-forward needle)
  (backward-char (or back 0)))

(defun aegis-replace (buffer old new)
  (aegis-goto buffer old)
  (replace-match new t t)
  ;; eglot sends changes from an idle timer, and batch Emacs is never idle: send them as that timer would.
  (eglot--signal-textDocument/didChange))

;; The schema files the scenario uses.
(defconst aegis-orders ".kiro/schemas/orders.yaml")
(defconst aegis-members ".kiro/schemas/members.yaml")
(defconst aegis-broken ".kiro/schemas/broken.yaml")

(defun aegis-has (file text)
  "Whether FILE on disk holds TEXT (t or JSON false)."
  (if (with-temp-buffer (insert-file-contents (aegis-path file)) (search-forward text nil t)) t :json-false))

(defun aegis-clean (&rest files)
  "A test: flymake shows nothing in the buffers of FILES."
  (lambda () (cl-every (lambda (f) (seq-empty-p (aegis-codes f))) files)))

(defun aegis-rename (buffer needle back newname)
  "Renames what is BACK characters before the end of NEEDLE to NEWNAME, as `eglot-rename' does, then saves.
eglot asks before editing files no buffer visits: the user answers yes."
  (aegis-goto buffer needle back)
  (cl-letf (((symbol-function 'y-or-n-p) (lambda (&rest _) t)))
    (eglot-rename newname))
  (save-some-buffers t))

(defun aegis-example ()
  (let ((orders (aegis-open aegis-orders)))
    (aegis-wait "orders' diagnostics" (lambda () (equal (aegis-codes aegis-orders) ["unknown-schema"])))
    (aegis-record "opened" (aegis-codes aegis-orders))
    (aegis-wait "the watcher registration" (lambda () aegis-watch-globs))
    (aegis-record "watchers" (vconcat aegis-watch-globs))
    (aegis-wait "the scan to report broken.yaml" (lambda () (seq-first (aegis-published aegis-broken))))
    (aegis-record "broken, never opened" (aegis-published aegis-broken))

    ;; Completion as completion-at-point gets it, from eglot's completion table.
    (aegis-goto orders "schema: user")
    (let* ((capf (eglot-completion-at-point))
           (typed (buffer-substring-no-properties (nth 0 capf) (nth 1 capf))))
      (aegis-record "completion" (vconcat (all-completions typed (nth 2 capf)))))

    (aegis-replace orders "schema: user" "schema: users")
    (aegis-wait "the edit to clear orders" (aegis-clean aegis-orders))
    (aegis-record "edited" (aegis-codes aegis-orders))

    ;; eglot 1.9 cannot rename files through a workspace edit: a schema rename is refused with what to do.
    (aegis-goto orders "schema: users" 2)
    (aegis-record "schema rename refused" (condition-case err (progn (eglot-rename "members") "applied")
                                            (error (error-message-string err))))
    ;; Doing what it says: the file renamed on disk (eglot 1.9's watcher forwards no rename: the server lists
    ;; the folder before a rename), then the schema renamed again, which now edits the text only.
    (rename-file (aegis-path ".kiro/schemas/users.yaml") (aegis-path aegis-members))
    (aegis-rename orders "schema: users" 2 "members")
    (aegis-wait "the renamed schema to be consistent" (aegis-clean aegis-orders aegis-members))
    (aegis-record "schema renamed" `((name . ,(aegis-has aegis-members "name: members"))
                                     (renamed_from . ,(aegis-has aegis-members "renamed_from: users"))
                                     (orders . ,(aegis-has aegis-orders "schema: members"))))

    ;; A column renamed everywhere it is named.
    (aegis-rename orders "column: id" 1 "uid")
    (aegis-wait "the renamed column to be consistent" (aegis-clean aegis-orders aegis-members))
    (aegis-record "column renamed" `((members . ,(aegis-has aegis-members "- name: uid"))
                                     (orders . ,(aegis-has aegis-orders "column: uid"))))

    ;; The "create schema file" quick fix, picked as a user would from eglot's menu: eglot lists no file
    ;; creations, so the server offers it as a command it carries out (workspace/executeCommand).
    (aegis-replace orders "schema: members" "schema: customer")
    (aegis-wait "orders to name a missing schema"
                (lambda () (seq-contains-p (aegis-codes aegis-orders) "unknown-schema")))
    (aegis-goto orders "schema: customer")
    (let* ((actions (eglot-code-actions (line-beginning-position) (line-end-position)))
           (titles (mapcar (lambda (a) (plist-get a :title)) actions))
           (create (seq-find (lambda (a) (string-prefix-p "Create schema file" (plist-get a :title))) actions)))
      (cl-letf (((symbol-function 'completing-read) (lambda (&rest _) (plist-get create :title))))
        ;; Not a mouse event: eglot asks with `completing-read' rather than a popup menu.
        (let ((last-nonmenu-event ?\r))
          (eglot--read-execute-code-action actions (eglot-current-server))))
      (aegis-wait "the created schema to clear orders" (aegis-clean aegis-orders))
      (aegis-record "quick fix applied"
                    `((titles . ,(vconcat titles))
                      (via . ,(if (plist-get create :edit) "workspace edit" "command"))
                      (created . ,(if (file-exists-p (aegis-path ".kiro/schemas/customer.yaml")) t :json-false))
                      (orders . ,(aegis-codes aegis-orders)))))

    ;; A file deleted on disk (never opened): only eglot's watcher can tell the server.
    (let ((before aegis-watched-events))
      (delete-file (aegis-path aegis-broken))
      (aegis-wait "the deletion to clear broken.yaml" (lambda () (seq-empty-p (aegis-published aegis-broken))))
      (aegis-record "deleted on disk" `((diagnostics . ,(aegis-published aegis-broken))
                                        (events . ,(- aegis-watched-events before)))))))

(defun aegis-finish (error)
  (when error (aegis-record "error" error))
  (let ((json-encoding-pretty-print nil))
    (with-temp-file (getenv "AEGIS_OUT")
      (insert (json-encode (mapcar (lambda (r) `((step . ,(car r)) (value . ,(cdr r)))) (reverse aegis-results))))))
  (ignore-errors (eglot-shutdown (eglot-current-server)))
  (kill-emacs (if error 1 0)))

(aegis-finish (condition-case err (progn (aegis-example) nil) (error (error-message-string err))))
