-- synclens for Neovim: starts the synclens language server for Go files.
--
--   require("synclens").setup()            -- any version from 0.7
--   require("synclens").setup({ init_options = { disabledChecks = { "unreleasedlock" } } })
--   require("synclens").setup({ init_options = { inlayHints = { heldLocks = true } } })
--
-- Inlay hints (goroutine joins and channel capacities by default, held
-- locks with heldLocks = true) are drawn by Neovim 0.10+ once enabled:
-- vim.lsp.inlay_hint.enable(true). Older versions do not show them.
--
-- On Neovim 0.11+ setup() is vim.lsp.config("synclens", opts) followed by
-- vim.lsp.enable("synclens"), using lsp/synclens.lua; on 0.8-0.10 it is a
-- FileType autocommand calling vim.lsp.start; on 0.7 the same with
-- vim.lsp.start_client and vim.lsp.buf_attach_client. No keymaps are set.
local M = {}

M.name = "synclens"

-- The defaults, the same as lsp/synclens.lua.
M.defaults = {
  cmd = { "synclens" },
  filetypes = { "go", "gomod" },
  root_markers = { "go.mod", "go.work", ".git" },
}

local uv = vim.loop

local function has_native_config()
  return vim.lsp.config ~= nil and vim.lsp.enable ~= nil
end

-- The directory of path, or of the nearest ancestor holding a root marker.
local function find_root(path, markers)
  local start = vim.fn.fnamemodify(path, ":p:h")
  local dir = start
  while true do
    for _, m in ipairs(markers) do
      if uv.fs_stat(dir .. "/" .. m) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return start
    end
    dir = parent
  end
end

-- window/showDocument, for Neovim versions without it (0.7): synclens's
-- "Open guide" code action asks the editor to show the guide section.
local function show_document(_, result, ctx)
  if not result or type(result.uri) ~= "string" then
    return { success = false }
  end
  if result.external or not result.uri:match("^file:") then
    local opener = vim.fn.has("mac") == 1 and "open" or "xdg-open"
    if vim.fn.executable(opener) ~= 1 then
      vim.notify("synclens: " .. result.uri, vim.log.levels.INFO)
      return { success = false }
    end
    vim.fn.jobstart({ opener, result.uri }, { detach = true })
    return { success = true }
  end
  local range = result.selection or { start = { line = 0, character = 0 }, ["end"] = { line = 0, character = 0 } }
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local enc = client and client.offset_encoding or "utf-16"
  if result.takeFocus == false then
    local bufnr = vim.uri_to_bufnr(result.uri)
    vim.fn.bufload(bufnr)
    vim.bo[bufnr].buflisted = true
    return { success = true }
  end
  local ok = pcall(vim.lsp.util.jump_to_location, { uri = result.uri, range = range }, enc)
  return { success = ok }
end

-- The client config for one root, for vim.lsp.start / start_client.
local function client_config(opts, root)
  local config = vim.tbl_deep_extend("force", {}, opts)
  config.filetypes, config.root_markers = nil, nil
  config.name = M.name
  config.root_dir = root
  config.workspace_folders = config.workspace_folders
    or { { uri = vim.uri_from_fname(root), name = root } }
  if vim.lsp.handlers["window/showDocument"] == nil then
    local caps = config.capabilities or vim.lsp.protocol.make_client_capabilities()
    caps.window = caps.window or {}
    caps.window.showDocument = { support = true }
    config.capabilities = caps
    config.handlers = vim.tbl_extend("keep", config.handlers or {}, { ["window/showDocument"] = show_document })
  end
  return config
end

-- Clients started by the 0.7 path, by root directory.
local clients_by_root = {}

-- Starts or reuses the client for buf's root and attaches it.
function M.attach(bufnr, opts)
  opts = vim.tbl_extend("force", M.defaults, opts or {})
  if vim.bo[bufnr].buftype ~= "" then
    return
  end
  local path = vim.api.nvim_buf_get_name(bufnr)
  if path == "" or path:match("^%a[%w+.-]*://") then
    return
  end
  local root = find_root(path, opts.root_markers)
  local config = client_config(opts, root)
  if vim.lsp.start ~= nil then
    return vim.api.nvim_buf_call(bufnr, function()
      return vim.lsp.start(config)
    end)
  end
  local id = clients_by_root[root]
  local client = id and vim.lsp.get_client_by_id(id)
  if not client or client.is_stopped() then
    id = vim.lsp.start_client(config)
    if not id then
      return nil
    end
    clients_by_root[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

local function matches(list, ft)
  for _, v in ipairs(list) do
    if v == ft then
      return true
    end
  end
  return false
end

-- Starts synclens for the filetypes in opts.filetypes (default go and
-- gomod). opts are client config fields: cmd, init_options (docsBaseURL,
-- disabledChecks, inlayHints), on_attach, capabilities, handlers, root_markers, ...
function M.setup(opts)
  opts = opts or {}
  if has_native_config() then
    if next(opts) ~= nil then
      vim.lsp.config(M.name, opts)
    end
    vim.lsp.enable(M.name)
    return
  end
  local merged = vim.tbl_extend("force", M.defaults, opts)
  local group = vim.api.nvim_create_augroup("synclens", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = merged.filetypes,
    callback = function(args)
      M.attach(args.buf, merged)
    end,
  })
  -- Buffers opened before setup (lazy loading).
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and matches(merged.filetypes, vim.bo[buf].filetype) then
      M.attach(buf, merged)
    end
  end
end

local function synclens_clients()
  local all = vim.lsp.get_clients and vim.lsp.get_clients({ name = M.name }) or vim.lsp.get_active_clients()
  local out = {}
  for _, c in ipairs(all) do
    if c.name == M.name then
      table.insert(out, c)
    end
  end
  return out
end

-- Changes settings of the running servers, e.g.
--   require("synclens").configure({ disabledChecks = { "unreleasedlock" } })
--   require("synclens").configure({ disabledChecks = {} })  -- all on again
--   require("synclens").configure({ inlayHints = { heldLocks = true } })
-- Keys: docsBaseURL, disabledChecks, inlayHints (heldLocks, goroutineJoins,
-- channelCapacity). Diagnostics and inlay hints update at once.
function M.configure(settings)
  for _, c in ipairs(synclens_clients()) do
    local all = c.config.settings or {}
    all.synclens = vim.tbl_extend("force", all.synclens or {}, settings)
    c.config.settings = all
    local params = { settings = { synclens = settings } }
    if vim.fn.has("nvim-0.11") == 1 then
      c:notify("workspace/didChangeConfiguration", params)
    else
      c.notify("workspace/didChangeConfiguration", params)
    end
  end
end

-- The message after an import, from the server's answer.
local function import_summary(res)
  res = res or {}
  local races, leaks = res.races or 0, res.leaks or 0
  local msg
  if races + leaks == 0 then
    msg = "synclens: nothing to show: no data race report or leaked goroutine in this module's code"
  else
    local parts = {}
    if races > 0 then
      table.insert(parts, races .. (races == 1 and " data race" or " data races"))
    end
    if leaks > 0 then
      table.insert(parts, leaks .. (leaks == 1 and " goroutine leak" or " goroutine leaks"))
    end
    msg = "synclens: " .. table.concat(parts, " and ") .. " shown as diagnostics"
    if (res.static or 0) > 0 then
      msg = msg .. " (" .. res.static .. " also found by synclens's checks)"
    end
  end
  if (res.skipped or 0) > 0 then
    msg = msg .. "; " .. res.skipped .. " about code outside the module"
  end
  return msg
end

local function execute(command, arguments, on_result)
  local clients = synclens_clients()
  if #clients == 0 then
    vim.notify("synclens: the language server is not running; open a Go file first", vim.log.levels.ERROR)
    return
  end
  local params = { command = command, arguments = arguments }
  local handler = function(err, result)
    if err then
      vim.notify("synclens: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif on_result then
      on_result(result)
    end
  end
  local c = clients[1]
  if vim.fn.has("nvim-0.11") == 1 then
    c:request("workspace/executeCommand", params, handler)
  else
    c.request("workspace/executeCommand", params, handler)
  end
end

-- Shows the race detector's reports (go test -race output, plain or -json)
-- or a goroutine leak profile (Go 1.26, debug=1 or 2) as diagnostics at the
-- lines of the code, with the other stacks as related information:
--   :SynclensImportRace race.txt
-- They stay until :SynclensClearRace, the next import, or an edit of the file.
function M.import_race(file)
  local path = vim.fn.fnamemodify(vim.fn.expand(file), ":p")
  execute("synclens.importRace", { { file = path } }, function(result)
    M.last_import = result
    vim.notify(import_summary(result), vim.log.levels.INFO)
  end)
end

function M.clear_race()
  execute("synclens.clearRuntimeEvidence", {}, nil)
end

-- Defines :SynclensImportRace {file} and :SynclensClearRace (plugin/synclens.lua
-- calls it at startup).
function M.create_commands()
  vim.api.nvim_create_user_command("SynclensImportRace", function(args)
    M.import_race(args.args)
  end, { nargs = 1, complete = "file", desc = "synclens: show go test -race output or a goroutine leak profile" })
  vim.api.nvim_create_user_command("SynclensClearRace", function()
    M.clear_race()
  end, { nargs = 0, desc = "synclens: clear the imported race and leak reports" })
end

return M
