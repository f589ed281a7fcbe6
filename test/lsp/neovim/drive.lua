-- Drives the Aegis language server through Neovim's own LSP client (Neovim 0.7, headless), the way a user's
-- config would: start the client for the workspace, attach the buffers opened, and apply what the server
-- answers with Neovim's own functions. Each step records what Neovim shows in a JSON file the test reads.
-- Environment: AEGIS_ROOT (the workspace), AEGIS_SERVER (the server's entry), AEGIS_NODE (node),
-- AEGIS_SCENARIO ('example' or 'large'), AEGIS_OUT (where the JSON goes).
local root = os.getenv('AEGIS_ROOT')
local out = os.getenv('AEGIS_OUT')
local scenario = os.getenv('AEGIS_SCENARIO')
local results = {}
local TIMEOUT = 120000

local function record(name, value)
  table.insert(results, { step = name, value = value })
end

local function finish(ok, err)
  if not ok then record('error', tostring(err)) end
  local f = assert(io.open(out, 'w'))
  f:write(vim.fn.json_encode(results))
  f:close()
  vim.cmd(ok and 'qa!' or 'cq!')
end

local client_id = vim.lsp.start_client({
  name = 'aegis',
  cmd = { os.getenv('AEGIS_NODE'), os.getenv('AEGIS_SERVER'), '--stdio' },
  root_dir = root,
})
local client = vim.lsp.get_client_by_id(client_id)

local function path(file) return root .. '/' .. file end

local function exists(file) return vim.loop.fs_stat(path(file)) ~= nil end

local function open(file)
  vim.cmd('edit ' .. vim.fn.fnameescape(path(file)))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client_id)
  return buf
end

-- The diagnostics Neovim holds for a file (open or not), as codes.
local function codes(file)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(vim.fn.bufadd(path(file)))) do table.insert(list, d.code) end
  table.sort(list)
  return list
end

local function wait_for(what, test)
  if not vim.wait(TIMEOUT, test, 20) then error('timed out waiting for ' .. what) end
end

-- Like wait_for, for a test that sends requests itself (vim.wait must not run inside vim.wait's callback).
local function eventually(what, test)
  local deadline = vim.loop.now() + TIMEOUT
  while not test() do
    if vim.loop.now() > deadline then error('timed out waiting for ' .. what) end
    vim.wait(50)
  end
end

-- Whether the file on disk holds `text`.
local function holds(file, text)
  local f = io.open(path(file), 'r')
  if not f then return false end
  local content = f:read('*a')
  f:close()
  return content:find(text, 1, true) ~= nil
end

local function has(file, code)
  return function() return vim.tbl_contains(codes(file), code) end
end

local function clean(file)
  return function() return #codes(file) == 0 end
end

local function line_of(buf, needle)
  for i, text in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = text:find(needle, 1, true)
    if at then return i - 1, at - 1 + #needle end
  end
  error('no line with ' .. needle)
end

local function request(buf, method, params)
  local answer, err = client.request_sync(method, params, TIMEOUT, buf)
  if not answer then error(method .. ': ' .. tostring(err)) end
  if answer.err then return nil, answer.err end
  return answer.result
end

local function at(buf, needle, back)
  local line, col = line_of(buf, needle)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = col - (back or 0) } }
end

local function replace_line(buf, needle, text)
  local line = line_of(buf, needle)
  vim.api.nvim_buf_set_lines(buf, line, line + 1, false, { text })
end

-- Applies a quick fix as vim.lsp.buf.code_action does: its edit, else its command.
local function apply_action(buf, action)
  if action.edit then vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding) end
  if action.command then request(buf, 'workspace/executeCommand', action.command) end
end

-- Renames the schema `old` (named in `buf` after `schema: `) to `new` as vim.lsp.buf.rename does: Neovim
-- applies the workspace edit, its file rename included, and the edited buffers are saved. Waits until the
-- server resolves the new name to its new file (it has seen the rename on disk) and `referrers` are clean.
local function rename_schema(buf, old, new, referrers)
  local old_file, new_file = '.kiro/schemas/' .. old .. '.yaml', '.kiro/schemas/' .. new .. '.yaml'
  local edit = request(buf, 'textDocument/rename', vim.tbl_extend('force', at(buf, 'schema: ' .. old, 2), { newName = new }))
  vim.lsp.util.apply_workspace_edit(edit, client.offset_encoding)
  vim.cmd('silent! wall')
  eventually('the renamed schema in ' .. new_file, function()
    local found = request(buf, 'textDocument/definition', at(buf, 'schema: ' .. new, 2))
    if not (found and found[1] and vim.endswith(found[1].uri, '/' .. new_file)) then return false end
    for _, file in ipairs(referrers) do
      if #codes(file) > 0 then return false end
    end
    return true
  end)
  local shown = {}
  for _, file in ipairs(referrers) do shown[vim.fn.fnamemodify(file, ':t:r')] = codes(file) end
  return {
    old_file = exists(old_file),
    new_file = exists(new_file),
    renamed_from = holds(new_file, 'renamed_from: ' .. old),
    -- The renamed file itself: its name matches its file name (no `name-mismatch`, which the CLI would report).
    new_file_codes = codes(new_file),
    referrers = shown,
  }
end

-- Asks for the quick fixes of `name`'s unknown-schema diagnostic in `buf` (the open `file`), applies "Create
-- schema file" as vim.lsp.buf.code_action would, saves what it edited and waits for `file` to be clean.
-- Returns the titles offered.
local function create_missing(buf, file, name)
  local function about()
    local found = {}
    for _, d in ipairs(vim.lsp.diagnostic.get_line_diagnostics(buf, (line_of(buf, 'schema: ' .. name)))) do
      if d.message:find('"' .. name .. '"', 1, true) then table.insert(found, d) end
    end
    return found
  end
  wait_for('an unknown schema ' .. name, function() return #about() > 0 end)
  local diagnostics = about()
  local actions = request(buf, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = diagnostics[1].range,
    context = { diagnostics = diagnostics },
  })
  local titles = {}
  for _, action in ipairs(actions) do
    table.insert(titles, action.title)
    if action.title:find('Create schema file', 1, true) then apply_action(buf, action) end
  end
  vim.cmd('silent! wall')
  wait_for('the created schema to clear ' .. file, clean(file))
  return titles
end

local function example()
  wait_for('the scan', function() return #codes('.kiro/schemas/orders.yaml') > 0 end)
  local orders = open('.kiro/schemas/orders.yaml')
  record('opened', codes('.kiro/schemas/orders.yaml'))

  replace_line(orders, 'schema: user', '  - schema: users')
  wait_for('the edit to clear orders', clean('.kiro/schemas/orders.yaml'))
  record('edited', codes('.kiro/schemas/orders.yaml'))

  local users = open('.kiro/schemas/users.yaml')
  replace_line(users, '- name: id', '  - name: uid')
  wait_for('orders to see users change', has('.kiro/schemas/orders.yaml', 'unknown-column'))
  record('cross-file', codes('.kiro/schemas/orders.yaml'))
  replace_line(users, '- name: uid', '  - name: id')
  wait_for('orders to clear again', clean('.kiro/schemas/orders.yaml'))
  vim.cmd('write')

  vim.api.nvim_set_current_buf(orders)
  replace_line(orders, 'schema: users', '  - schema: us')
  local completion = request(orders, 'textDocument/completion', at(orders, 'schema: us'))
  local labels = {}
  for _, item in ipairs(completion.items) do table.insert(labels, item.label) end
  record('completion', { labels = labels, isIncomplete = completion.isIncomplete })
  replace_line(orders, 'schema: us', '  - schema: users')

  local definition = request(orders, 'textDocument/definition', at(orders, 'schema: users', 2))
  record('definition', { uri = definition[1].uri:sub(-#'users.yaml'), line = definition[1].range.start.line })

  record('renamed', rename_schema(orders, 'users', 'members', { '.kiro/schemas/orders.yaml', '.kiro/schemas/applications.yaml' }))

  replace_line(orders, 'schema: members', '  - schema: customer')
  record('quick fixes', create_missing(orders, '.kiro/schemas/orders.yaml', 'customer'))
  record('quick fix applied', codes('.kiro/schemas/orders.yaml'))

  os.remove(path('.kiro/schemas/customer.yaml'))
  wait_for('the deletion to be seen', has('.kiro/schemas/orders.yaml', 'unknown-schema'))
  record('deleted on disk', codes('.kiro/schemas/orders.yaml'))
end

local function large()
  local file = '.kiro/schemas/t_05000.yaml'
  local buf = open(file)
  replace_line(buf, 'on_delete: CASCADE', '    on_delete: SOMETIMES')
  wait_for('the opened file', has(file, 'invalid-field'))
  record('opened', codes(file))
  replace_line(buf, 'schema: t_02499', '  - schema: t_missing')
  wait_for('the cross-file check', has(file, 'unknown-schema'))
  record('cross-file', codes(file))
  replace_line(buf, 'schema: t_missing', '  - schema: t_0')
  local completion = request(buf, 'textDocument/completion', at(buf, 'schema: t_0'))
  record('completion', { count = #completion.items, isIncomplete = completion.isIncomplete })
  replace_line(buf, 'schema: t_0', '  - schema: t_missing')
  local parent = open('.kiro/schemas/t_02499.yaml')
  vim.api.nvim_set_current_buf(buf)
  replace_line(buf, 'schema: t_missing', '  - schema: t_02499')
  replace_line(buf, 'on_delete: SOMETIMES', '    on_delete: CASCADE')
  wait_for('the fix', clean(file))
  replace_line(parent, '- name: id', '  - name: uid')
  wait_for('a referrer to see the change', has('.kiro/schemas/t_05000.yaml', 'unknown-column'))
  record('cross-file update', codes(file))
  replace_line(parent, '- name: uid', '  - name: id')
  wait_for('the referrer to clear', clean(file))
  vim.cmd('silent! wall')

  vim.api.nvim_set_current_buf(buf)
  local definition = request(buf, 'textDocument/definition', at(buf, 'schema: t_02499', 2))
  record('definition', { uri = definition[1].uri:sub(-#'t_02499.yaml'), line = definition[1].range.start.line })

  -- t_02499 is referenced by its two children, t_04999 (never opened) and t_05000.
  record('renamed', rename_schema(buf, 't_02499', 't_parent', { '.kiro/schemas/t_04999.yaml', file }))

  replace_line(buf, 'schema: t_parent', '  - schema: t_newone')
  local titles = create_missing(buf, file, 't_newone')
  record('quick fix applied', { titles = titles, created = exists('.kiro/schemas/t_newone.yaml'), codes = codes(file) })

  os.remove(path('.kiro/schemas/t_newone.yaml'))
  wait_for('the deletion to be seen', has(file, 'unknown-schema'))
  record('deleted on disk', codes(file))
end

finish(pcall(scenario == 'large' and large or example))
