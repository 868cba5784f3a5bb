;;; carbonlens-eglot.el --- CarbonLens through Eglot  -*- lexical-binding: t; -*-

;; Works with Eglot 1.9 (Debian's elpa-eglot, Emacs 28) and the Eglot built into Emacs 29 and later.
;;
;; Usage, in your init file:
;;
;;   (setq carbonlens-command '("/path/to/carbonlens/carbonlens" "lsp"))
;;   ;; or '("java" "-jar" "/path/to/carbonlens.jar" "lsp")
;;   (setq carbonlens-settings
;;         '(:defaults (:provider "gcp" :region "europe-west1")
;;           :severity (:CL-PREC-001 "info")
;;           :rules (:CL-ES-001 :json-false)))
;;   (load "/path/to/carbonlens/editors/emacs/carbonlens-eglot.el")
;;   (carbonlens-eglot-setup)
;;
;; Then open a YAML, JSON or .drl file: Eglot starts the server, and the findings show through Flymake
;; as "carbonlens [CL-HW-001]: ...".  Hover (eldoc), code actions (`eglot-code-actions') and
;; completion work as with any Eglot server.
;;
;; Eglot runs ONE server per buffer: the first entry of `eglot-server-programs' that matches the
;; major mode wins.  `carbonlens-eglot-setup' puts CarbonLens first for `carbonlens-eglot-modes' (YAML,
;; JSON and DRL by default).  Python and Java buffers usually have their own language server; add
;; `python-mode' or `java-mode' to `carbonlens-eglot-modes' only if CarbonLens should replace it there
;; (or use lsp-mode, which runs CarbonLens beside another server: carbonlens-lsp-mode.el).
;;
;; Settings: `carbonlens-settings' goes in `initializationOptions'.  Eglot also sends
;; `eglot-workspace-configuration' (usually empty) on connecting, and the server would take that as
;; "no settings", so this file sends `carbonlens-settings' again right after it (under a `carbonlens'
;; key).  After changing `carbonlens-settings', M-x carbonlens-eglot-apply-settings sends them to the
;; running servers; every open file is analysed again, no restart.
;;
;; `:trustWorkspaceRules t' lets the server compile and run the team rules in
;; <project>/.carbonlens/rules/*.drl, which can run Java code: set it only if you trust every project
;; you open.  Do not rely on .dir-locals.el to keep it off: Eglot marks `eglot-workspace-configuration'
;; as a safe local variable, so a repository's .dir-locals.el is applied without asking (this file's
;; settings are sent after it and replace it).

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'jsonrpc)

(defgroup carbonlens nil
  "CarbonLens: the carbon cost of ML training and serving configs."
  :group 'tools
  :prefix "carbonlens-")

(defcustom carbonlens-command '("carbonlens" "lsp")
  "The command that starts the CarbonLens language server over stdio."
  :type '(repeat string))

(defcustom carbonlens-settings nil
  "CarbonLens settings, a plist in Eglot's JSON form.
See docs/editors.md, \"Settings\".
Keys: :defaults (:provider :region :pue :gridSignal :accelerator
:hours :utilisation :hostOverhead :mfu :hardwareLifetime
:servingThroughput), :severity (:RULE-ID LEVEL), :rules (:RULE-ID t or
:json-false), :debounceMs, :trustWorkspaceRules."
  :type 'sexp)

(defcustom carbonlens-eglot-modes
  '(yaml-mode yaml-ts-mode carbonlens-yaml-mode
    json-mode json-ts-mode js-json-mode
    drools-mode carbonlens-drl-mode)
  "Major modes in which Eglot uses CarbonLens."
  :type '(repeat symbol))

;; Emacs 28 has no YAML or DRL mode of its own: a minimal one each, only where none is set up.
(define-derived-mode carbonlens-yaml-mode prog-mode "YAML"
  "Minimal YAML mode for CarbonLens, used when no other mode handles .yaml files."
  (setq-local comment-start "# "))

(define-derived-mode carbonlens-drl-mode prog-mode "DRL"
  "Minimal Drools rule (.drl) mode for CarbonLens."
  (setq-local comment-start "// "))

(unless (assoc-default "x.yaml" auto-mode-alist #'string-match)
  (add-to-list 'auto-mode-alist '("\\.ya?ml\\'" . carbonlens-yaml-mode)))
(unless (assoc-default "x.drl" auto-mode-alist #'string-match)
  (add-to-list 'auto-mode-alist '("\\.drl\\'" . carbonlens-drl-mode)))

(defclass carbonlens-eglot-server (eglot-lsp-server) ()
  :documentation "An Eglot connection to the CarbonLens language server.")

(defun carbonlens-eglot--settings ()
  "`carbonlens-settings' as Eglot encodes it (an empty JSON object when nil)."
  (or carbonlens-settings (make-hash-table)))

(cl-defmethod eglot-initialization-options ((_server carbonlens-eglot-server))
  (carbonlens-eglot--settings))

(defun carbonlens-eglot-contact (_interactive)
  "The `eglot-server-programs' contact for CarbonLens."
  (cons 'carbonlens-eglot-server carbonlens-command))

(defun carbonlens-eglot--send-settings (server)
  "Send `carbonlens-settings' to SERVER if it is a CarbonLens server."
  (when (cl-typep server 'carbonlens-eglot-server)
    (jsonrpc-notify server :workspace/didChangeConfiguration
                    (list :settings (list :carbonlens (carbonlens-eglot--settings))))))

(defun carbonlens-eglot-apply-settings ()
  "Send `carbonlens-settings' to every running CarbonLens server."
  (interactive)
  (dolist (servers (hash-table-values eglot--servers-by-project))
    (mapc #'carbonlens-eglot--send-settings servers)))

;;;###autoload
(defun carbonlens-eglot-setup (&optional no-auto-start)
  "Register CarbonLens with Eglot for `carbonlens-eglot-modes'.
Unless NO-AUTO-START, also start it (`eglot-ensure') in those modes."
  (setq eglot-server-programs
        (cons (cons carbonlens-eglot-modes #'carbonlens-eglot-contact)
              (cl-remove #'carbonlens-eglot-contact eglot-server-programs :key #'cdr)))
  ;; After Eglot's own didChangeConfiguration (the hook's first function), so these settings win.
  (add-hook 'eglot-connect-hook #'carbonlens-eglot--send-settings t)
  (unless no-auto-start
    (dolist (mode carbonlens-eglot-modes)
      (add-hook (intern (format "%s-hook" mode)) #'eglot-ensure))))

(provide 'carbonlens-eglot)
;;; carbonlens-eglot.el ends here
