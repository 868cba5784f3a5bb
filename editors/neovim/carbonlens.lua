-- CarbonLens for Neovim's built-in LSP client (Neovim 0.7.2 and later; no plugin needed).
--
-- Put this file on your 'runtimepath' as lua/carbonlens.lua (for example
-- ~/.config/nvim/lua/carbonlens.lua), then in init.lua:
--
--   require('carbonlens').setup({
--     cmd = { '/path/to/carbonlens/carbonlens', 'lsp' },   -- or { 'java', '-jar', '/path/to/carbonlens.jar', 'lsp' }
--     settings = {                                         -- the keys of docs/editors.md "Settings"
--       defaults = { provider = 'gcp', region = 'europe-west1' },
--       severity = { ['CL-PREC-001'] = 'info' },
--       rules = { ['CL-ES-001'] = false },
--     },
--   })
--
-- The server starts once per root (the folder holding .git or .carbonlens.yaml, else the file's folder)
-- for YAML, JSON, Python, Java and Drools (.drl) buffers. Settings go in `initializationOptions`;
-- require('carbonlens').update(settings) sends new ones (`workspace/didChangeConfiguration`) to every
-- running CarbonLens client, and the server analyses the open files again at once.
--
-- With nvim-lspconfig, see register_lspconfig() below, or docs/editors.md for a config written out.
-- With Neovim 0.11's vim.lsp.config, see docs/editors.md.
--
-- Keep `trustWorkspaceRules` false unless you trust every workspace you open: when true the server
-- compiles and runs the team rules in <root>/.carbonlens/rules/*.drl (rules can run Java code).

local M = {}

M.filetypes = { 'yaml', 'json', 'jsonc', 'python', 'java', 'drools', 'drl' }
M.root_markers = { '.carbonlens.yaml', '.git' }

local options = {
  cmd = { 'carbonlens', 'lsp' },
  settings = vim.empty_dict(),
  filetypes = M.filetypes,
  root_markers = M.root_markers,
}

-- Neovim does not know .drl files: call them 'drools' so the autocommand sees them.
local function detect_drl()
  if vim.fn.has('nvim-0.8') == 1 then
    vim.filetype.add({ extension = { drl = 'drools' } })
  else -- 0.7's vim.filetype.add only counts with g:do_filetype_lua
    vim.cmd([[autocmd BufNewFile,BufRead *.drl setfiletype drools]])
  end
end

local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = vim.fn.fnamemodify(name, ':p:h')
  if vim.fs and vim.fs.find then -- 0.8+
    local found = vim.fs.find(options.root_markers, { path = start, upward = true })[1]
    if found then
      return vim.fs.dirname(found)
    end
    return start
  end
  local dir = start
  while dir and dir ~= '' do
    for _, marker in ipairs(options.root_markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      break
    end
    dir = parent
  end
  return start
end

--- The client configuration for a buffer: what vim.lsp.start / vim.lsp.start_client take.
function M.config(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  return {
    name = 'carbonlens',
    cmd = options.cmd,
    root_dir = root_dir(bufnr),
    init_options = options.settings,
    settings = options.settings,
    -- The server picks the format from the file name; the language id is informative only.
    get_language_id = function(_, filetype)
      return filetype == 'drools' and 'drl' or filetype
    end,
  }
end

local clients = {} -- root_dir -> client id, for Neovim 0.7 (vim.lsp.start reuses clients itself)

--- Starts (or reuses) the CarbonLens client for a buffer and attaches it. Returns the client id.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.api.nvim_buf_get_name(bufnr) == '' then
    return nil
  end
  local config = M.config(bufnr)
  if vim.lsp.start then -- 0.8+
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients[config.root_dir]
  if not id or not vim.lsp.get_client_by_id(id) or vim.lsp.get_client_by_id(id).is_stopped() then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- Sends new settings to every running CarbonLens client (no restart needed).
function M.update(settings)
  options.settings = settings
  local get_clients = vim.lsp.get_clients or vim.lsp.get_active_clients -- get_clients: 0.10+
  for _, client in pairs(get_clients()) do
    if client.name == 'carbonlens' then
      client.config.settings = settings
      client.notify('workspace/didChangeConfiguration', { settings = settings })
    end
  end
end

--- Registers the autocommand that attaches CarbonLens to the configured file types.
function M.setup(opts)
  options = vim.tbl_extend('force', options, opts or {})
  detect_drl()
  local group = vim.api.nvim_create_augroup('carbonlens', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = options.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
end

--- For nvim-lspconfig users: registers `carbonlens` as a custom server, then
--- require('lspconfig').carbonlens.setup({ cmd = ..., init_options = ... }) as for any server.
function M.register_lspconfig()
  local configs = require('lspconfig.configs')
  local util = require('lspconfig.util')
  if not configs.carbonlens then
    configs.carbonlens = {
      default_config = {
        cmd = options.cmd,
        filetypes = M.filetypes,
        root_dir = function(fname)
          return util.root_pattern(unpack(M.root_markers))(fname) or vim.fn.fnamemodify(fname, ':p:h')
        end,
        single_file_support = true,
        init_options = vim.empty_dict(),
        settings = vim.empty_dict(),
      },
      docs = { description = 'CarbonLens: the carbon cost of ML training and serving configs.' },
    }
  end
end

return M
