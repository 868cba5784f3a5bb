-- Drives CarbonLens through Neovim's own LSP client, headless: nvim --headless -u NONE -c "luafile e2e.lua"
-- (`nvim -l` needs 0.9; Debian bookworm has 0.7.2). It loads the shipped editors/neovim/carbonlens.lua, opens the
-- file, waits for the server's diagnostics, asks for a hover and the code actions on the first finding,
-- runs carbonlens.summary, sends new settings, and writes what Neovim holds as JSON to $CARBONLENS_OUT (stdout garbles in
-- headless mode). Any error is written to $CARBONLENS_OUT.error and nvim exits with :cquit, never hangs.
local out = assert(os.getenv('CARBONLENS_OUT'), 'CARBONLENS_OUT not set')

local function write(path, text)
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

local function carbonlens_diagnostics(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'carbonlens' then
      table.insert(found, d)
    end
  end
  return found
end

local function plain(d)
  return { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, severity = d.severity,
           source = d.source, code = d.code, message = d.message }
end

local function main()
  local carbonlens = dofile(assert(os.getenv('CARBONLENS_CONFIG')))
  carbonlens.setup({
    cmd = { assert(os.getenv('CARBONLENS_LAUNCHER')), 'lsp' },
    settings = { severity = { ['CL-ES-001'] = 'error' } },
  })
  vim.cmd('edit ' .. vim.fn.fnameescape(assert(os.getenv('CARBONLENS_FILE'))))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'yaml' -- -u NONE: no filetype detection; setting it fires the FileType autocommand
  local result = { nvim = vim.version(), filetype = vim.bo[buf].filetype }

  -- A guard, not a measurement: the launcher may first build the class-data archive.
  vim.wait(90000, function() return #carbonlens_diagnostics(buf) > 0 end, 50)
  local clients = {}
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
    table.insert(clients, c)
  end
  assert(#clients == 1, 'expected one client attached, got ' .. #clients)
  local client = clients[1]
  result.client = client.name

  local diagnostics = carbonlens_diagnostics(buf)
  result.diagnostics = vim.tbl_map(plain, diagnostics)

  local uri = vim.uri_from_bufnr(buf)
  local hw
  for _, d in ipairs(diagnostics) do
    if d.code == 'CL-HW-001' then
      hw = d
    end
  end
  if hw then
    local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
      { textDocument = { uri = uri }, position = { line = hw.lnum, character = hw.col } }, 30000)
    local r = hover and hover[client.id] and hover[client.id].result
    result.hover = r and r.contents and (r.contents.value or r.contents) or vim.NIL

    local lsp_diagnostic = hw.user_data and hw.user_data.lsp
    local actions = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
      textDocument = { uri = uri },
      range = { start = { line = hw.lnum, character = hw.col }, ['end'] = { line = hw.end_lnum, character = hw.end_col } },
      context = { diagnostics = { lsp_diagnostic } },
    }, 30000)
    local titles = {}
    for _, action in ipairs((actions and actions[client.id] and actions[client.id].result) or {}) do
      table.insert(titles, action.title)
    end
    result.code_actions = titles
  end

  -- The server's own command (workspace/executeCommand): the document's footprint and savings.
  local summary = client.request_sync('workspace/executeCommand',
    { command = 'carbonlens.summary', arguments = { uri } }, 30000, buf)
  result.summary = (summary and summary.result) or vim.NIL

  -- New settings at run time: CL-ES-001 turned off, no restart.
  carbonlens.update({ rules = { ['CL-ES-001'] = false } })
  vim.wait(60000, function()
    for _, d in ipairs(carbonlens_diagnostics(buf)) do
      if d.code == 'CL-ES-001' then
        return false
      end
    end
    return true
  end, 50)
  result.after_update = vim.tbl_map(plain, carbonlens_diagnostics(buf))

  write(out, vim.fn.json_encode(result))
  vim.lsp.stop_client(client.id)
  vim.wait(10000, function() return client.is_stopped() end, 50)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  write(out .. '.error', tostring(err))
  vim.cmd('cquit 1')
end
vim.cmd('qall!')
