;;; carbonlens-lsp-mode.el --- CarbonLens through lsp-mode  -*- lexical-binding: t; -*-

;; For lsp-mode 8 and later.  Usage, in your init file:
;;
;;   (setq carbonlens-command '("/path/to/carbonlens/carbonlens" "lsp"))
;;   ;; or '("java" "-jar" "/path/to/carbonlens.jar" "lsp")
;;   (setq carbonlens-settings
;;         '(:defaults (:provider "gcp" :region "europe-west1")
;;           :severity (:CL-PREC-001 "info")
;;           :rules (:CL-ES-001 :json-false)))
;;   (with-eval-after-load 'lsp-mode
;;     (load "/path/to/carbonlens/editors/emacs/carbonlens-lsp-mode.el"))
;;   (add-hook 'yaml-mode-hook #'lsp-deferred)      ; and json-mode, python-mode, java-mode ...
;;
;; CarbonLens is registered as an add-on server (`:add-on? t'): it runs beside the buffer's main
;; server (pyright, jdtls, yaml-language-server ...), and lsp-mode merges their diagnostics, code
;; actions and hovers.  Findings read "CL-HW-001: ..." in Flycheck or Flymake with source carbonlens.
;;
;; Settings: `carbonlens-settings' goes in `initializationOptions' and again, once the server is
;; up, in `workspace/didChangeConfiguration' (under a `carbonlens' key).  After changing it,
;; M-x carbonlens-lsp-apply-settings sends it to the running servers, no restart.
;;
;; `:trustWorkspaceRules t' lets the server compile and run the team rules in
;; <project>/.carbonlens/rules/*.drl, which can run Java code: set it only if you trust every project
;; you open.
;;
;; Not tested in this repository's suite (only Neovim and Eglot are); see docs/editors.md.

;;; Code:

(require 'lsp-mode)

(defgroup carbonlens nil
  "CarbonLens: the carbon cost of ML training and serving configs."
  :group 'tools
  :prefix "carbonlens-")

(defcustom carbonlens-command '("carbonlens" "lsp")
  "The command that starts the CarbonLens language server over stdio."
  :type '(repeat string))

(defcustom carbonlens-settings nil
  "CarbonLens settings, a plist in lsp-mode's JSON form.
See docs/editors.md, \"Settings\"."
  :type 'sexp)

(defcustom carbonlens-lsp-file-regexp "\\.\\(ya?ml\\|json\\|jsonc\\|py\\|java\\|drl\\)\\'"
  "Files CarbonLens serves, by name.
The server tells the formats apart by file name, whatever the major
mode or language id."
  :type 'regexp)

;; .drl files: no mode in Emacs, so lsp-mode needs telling which language they are.
(add-to-list 'lsp-language-id-configuration '("\\.drl\\'" . "drl"))

(defun carbonlens-lsp--settings ()
  (or carbonlens-settings (make-hash-table)))

(defun carbonlens-lsp-apply-settings ()
  "Send `carbonlens-settings' to every running CarbonLens server."
  (interactive)
  (dolist (workspace (lsp--session-workspaces (lsp-session)))
    (when (eq (lsp--client-server-id (lsp--workspace-client workspace)) 'carbonlens)
      (with-lsp-workspace workspace
        (lsp-notify "workspace/didChangeConfiguration"
                    (list :settings (list :carbonlens (carbonlens-lsp--settings))))))))

(lsp-register-client
 (make-lsp-client
  :new-connection (lsp-stdio-connection (lambda () carbonlens-command))
  :activation-fn (lambda (file-name _mode)
                   (and file-name (string-match-p carbonlens-lsp-file-regexp file-name)))
  :add-on? t
  :priority -2
  :server-id 'carbonlens
  :initialization-options #'carbonlens-lsp--settings
  :initialized-fn (lambda (workspace)
                    (with-lsp-workspace workspace
                      (lsp-notify "workspace/didChangeConfiguration"
                                  (list :settings (list :carbonlens (carbonlens-lsp--settings))))))))

(provide 'carbonlens-lsp-mode)
;;; carbonlens-lsp-mode.el ends here
