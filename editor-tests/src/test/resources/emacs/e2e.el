;;; e2e.el --- drives CarbonLens through Emacs, Eglot and Flymake, in batch  -*- lexical-binding: t; -*-
;; Run: emacs --batch -l e2e.el (not -Q: Debian's elpa-eglot needs `package-initialize').
;; Loads the shipped editors/emacs/carbonlens-eglot.el, opens $CARBONLENS_FILE, lets Eglot connect,
;; starts Flymake and waits for CarbonLens's diagnostics, then writes them as JSON to $CARBONLENS_OUT
;; and Eglot's event log to $CARBONLENS_OUT.log.  Any error goes to $CARBONLENS_OUT.error and Emacs
;; exits with status 1.
(require 'package)
(package-initialize)
(require 'json)
(require 'flymake)

(defvar e2e-out (or (getenv "CARBONLENS_OUT") (error "CARBONLENS_OUT not set")))

(defun e2e-write (file text)
  (with-temp-file file
    (set-buffer-file-coding-system 'utf-8)
    (insert text)))

(defun e2e-carbonlens-diagnostics ()
  (cl-remove-if-not (lambda (d) (string-prefix-p "carbonlens [" (flymake-diagnostic-text d)))
                    (flymake-diagnostics)))

(defun e2e-wait (predicate seconds)
  "Process server output until PREDICATE holds or SECONDS pass (a guard, not a measurement)."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))))

(defun e2e-diagnostic-json (d)
  (save-excursion
    (goto-char (flymake-diagnostic-beg d))
    `((line . ,(line-number-at-pos))
      (column . ,(current-column))
      (type . ,(symbol-name (flymake-diagnostic-type d)))
      (text . ,(flymake-diagnostic-text d)))))

(defun e2e-main ()
  (setq carbonlens-command (list (getenv "CARBONLENS_LAUNCHER") "lsp"))
  (setq carbonlens-settings '(:severity (:CL-ES-001 "error")))
  (load (getenv "CARBONLENS_CONFIG") nil t)
  (carbonlens-eglot-setup)
  (find-file (getenv "CARBONLENS_FILE"))
  ;; `eglot-ensure' connects after the current command; batch mode has no command loop.
  (run-hooks 'post-command-hook)
  (e2e-wait (lambda () (eglot-current-server)) 60)
  (let ((server (or (eglot-current-server) (error "Eglot did not connect"))))
    (unwind-protect
        (progn
          (flymake-start)
          ;; The settings arrive after connecting: wait for CL-ES-001 as an error, the settled state.
          (e2e-wait (lambda ()
                      (cl-some (lambda (d) (and (string-match-p "\\[CL-ES-001\\]" (flymake-diagnostic-text d))
                                                (eq (flymake-diagnostic-type d) 'eglot-error)))
                               (e2e-carbonlens-diagnostics)))
                    90)
          (e2e-write e2e-out
                     (json-encode
                      `((emacs . ,emacs-version)
                        (mode . ,(symbol-name major-mode))
                        (server . ,(symbol-name (eieio-object-class server)))
                        (diagnostics . ,(vconcat (mapcar #'e2e-diagnostic-json
                                                         (sort (e2e-carbonlens-diagnostics)
                                                               (lambda (a b) (< (flymake-diagnostic-beg a)
                                                                                (flymake-diagnostic-beg b)))))))))))
      (e2e-write (concat e2e-out ".log")
                 (concat (with-current-buffer (jsonrpc-events-buffer server) (buffer-string))
                         "\n--- server stderr ---\n"
                         (with-current-buffer (jsonrpc-stderr-buffer server) (buffer-string))))
      (ignore-errors (eglot-shutdown server)))))

(condition-case err
    (progn (e2e-main) (kill-emacs 0))
  (error
   (e2e-write (concat e2e-out ".error") (format "%S" err))
   (kill-emacs 1)))
