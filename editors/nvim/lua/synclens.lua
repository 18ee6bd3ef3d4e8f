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
-- vim.lsp.start_client and vim.lsp.buf_attach_client.
--
-- Before 0.11 it also maps K in Go buffers to a hover that shows every
-- server's card (gopls's and synclens's; see synclens/hover.lua), and shows
-- each warning's code and related locations. On every version it reports
-- package loads with vim.notify (synclens/progress.lua) and defines
-- :SynclensRestart and :SynclensGuide.
--
-- Options of the plugin itself, next to the client config fields:
--   keymaps = false     -- do not map K
--   progress = false    -- no vim.notify for package loads (status() still works)
local M = {}

M.name = "synclens"

-- The defaults, the same as lsp/synclens.lua.
M.defaults = {
  cmd = { "synclens" },
  filetypes = { "go", "gomod" },
  root_markers = { "go.mod", "go.work", ".git" },
}

local plugin_options = { keymaps = true, progress = true }

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

-- A diagnostic's code and related locations, which Neovim before 0.11 does
-- not show, are added to its message: "message [code]", then one line per
-- related location. Virtual text shows the first line only.
local function describe_diagnostics(err, result, ctx, config)
  for _, d in ipairs(result and result.diagnostics or {}) do
    if d.code ~= nil and type(d.message) == "string" then
      local lines = { d.message .. " [" .. tostring(d.code) .. "]" }
      for _, rel in ipairs(d.relatedInformation or {}) do
        local loc = rel.location or {}
        local file = loc.uri and vim.fn.fnamemodify(vim.uri_to_fname(loc.uri), ":t") or "?"
        local line = loc.range and loc.range.start.line + 1 or 0
        table.insert(lines, string.format("  %s:%d: %s", file, line, rel.message or ""))
      end
      d.message = table.concat(lines, "\n")
    end
  end
  vim.lsp.handlers["textDocument/publishDiagnostics"](err, result, ctx, config)
end

local function first_line(d)
  return (d.message:match("^[^\n]*"))
end

-- The handlers the plugin adds to a client config.
local function plugin_handlers(config, progress)
  local handlers = {}
  handlers["$/progress"] = require("synclens.progress").handler(progress and vim.notify)
  if vim.fn.has("nvim-0.11") == 0 then
    handlers["textDocument/publishDiagnostics"] = describe_diagnostics
  end
  config.handlers = vim.tbl_extend("keep", config.handlers or {}, handlers)
end

-- The client config for one root, for vim.lsp.start / start_client.
local function client_config(opts, root)
  local config = vim.tbl_deep_extend("force", {}, opts)
  config.filetypes, config.root_markers = nil, nil
  for k in pairs(plugin_options) do
    config[k] = nil
  end
  plugin_handlers(config, opts.progress ~= false)
  local on_init = config.on_init
  config.on_init = function(client, ...)
    -- Virtual text, if on, shows a warning's first line (message and code).
    local vt = vim.diagnostic.config().virtual_text
    if vt and vim.fn.has("nvim-0.11") == 0 then
      vt = vim.tbl_extend("force", type(vt) == "table" and vt or {}, { format = first_line })
      vim.diagnostic.config({ virtual_text = vt }, vim.lsp.diagnostic.get_namespace(client.id))
    end
    if on_init then
      return on_init(client, ...)
    end
  end
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
  if opts.keymaps ~= false then
    require("synclens.hover").map_k(bufnr)
  end
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

-- Calls a method of a client: a method on 0.11+, a field function before.
local function call(client, method, ...)
  if vim.fn.has("nvim-0.11") == 1 then
    return client[method](client, ...)
  end
  return client[method](...)
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

-- The guide's markdown, as Open guide and :SynclensGuide show it, is read,
-- not edited: read-only, with the {#anchor} after each heading concealed.
local function guide_buffers()
  local group = vim.api.nvim_create_augroup("synclens_guide", { clear = true })
  local pattern = "*/synclens/docs/*/*.md"
  vim.api.nvim_create_autocmd("BufWinEnter", {
    group = group,
    pattern = pattern,
    callback = function(args)
      vim.bo[args.buf].modifiable = false
      vim.bo[args.buf].readonly = true
      -- Local to this buffer in this window: other buffers keep theirs.
      vim.opt_local.conceallevel = 2
      vim.opt_local.concealcursor = "nc"
      if vim.w.synclens_anchor_match == nil then
        vim.w.synclens_anchor_match = vim.fn.matchadd("Conceal", [[\s*{#[A-Za-z0-9_.-]\+}$]], 10, -1, { conceal = "" })
      end
    end,
  })
  -- Matches belong to the window: drop it when the guide leaves.
  vim.api.nvim_create_autocmd("BufWinLeave", {
    group = group,
    pattern = pattern,
    callback = function()
      if vim.w.synclens_anchor_match ~= nil then
        pcall(vim.fn.matchdelete, vim.w.synclens_anchor_match)
        vim.w.synclens_anchor_match = nil
      end
    end,
  })
end

local function define_commands()
  vim.api.nvim_create_user_command("SynclensRestart", function()
    M.restart()
  end, { desc = "restart the synclens language server" })
  vim.api.nvim_create_user_command("SynclensGuide", function(args)
    M.guide(args.args)
  end, { nargs = "?", desc = "open the guide section of the synclens warning under the cursor, or of the one named" })
end

-- Stops the synclens servers and starts them again for the loaded Go
-- buffers (what :SynclensRestart does; Neovim 0.11+ has :lsp restart).
function M.restart()
  local clients = synclens_clients()
  for _, c in ipairs(clients) do
    call(c, "stop")
  end
  clients_by_root = {}
  local opts = M.options or M.defaults
  local function stopped()
    for _, c in ipairs(clients) do
      if not call(c, "is_stopped") then
        return false
      end
    end
    return true
  end
  local function start_again()
    if has_native_config() then
      vim.lsp.enable(M.name, false)
      vim.lsp.enable(M.name)
      return
    end
    for _, buf in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(buf) and matches(opts.filetypes, vim.bo[buf].filetype) then
        M.attach(buf, opts)
      end
    end
  end
  -- Wait for the old servers to exit (shutdown, exit), then start.
  local tries = 0
  local timer = uv.new_timer()
  timer:start(0, 50, vim.schedule_wrap(function()
    tries = tries + 1
    if stopped() or tries > 100 then
      timer:stop()
      timer:close()
      start_again()
    end
  end))
end

-- Opens the guide section with this anchor (a check's code, or what a
-- hover names), or of the synclens warning under the cursor, through the
-- server's synclens.openGuide command.
function M.guide(anchor)
  local bufnr = vim.api.nvim_get_current_buf()
  if anchor == nil or anchor == "" then
    local lnum = vim.api.nvim_win_get_cursor(0)[1] - 1
    for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = lnum })) do
      local lsp = d.user_data and d.user_data.lsp or {}
      if d.source == M.name and (lsp.code or d.code) then
        anchor = tostring(lsp.code or d.code)
        break
      end
    end
  end
  if anchor == nil or anchor == "" then
    vim.notify("synclens: no synclens warning on this line; give a guide section, e.g. :SynclensGuide unreleasedlock", vim.log.levels.WARN)
    return
  end
  local client = synclens_clients()[1]
  if not client then
    vim.notify("synclens: the server is not running", vim.log.levels.WARN)
    return
  end
  local params = { command = "synclens.openGuide", arguments = { anchor } }
  local function done(err)
    if err then
      vim.notify("synclens: " .. (err.message or tostring(err)), vim.log.levels.WARN)
    end
  end
  call(client, "request", "workspace/executeCommand", params, done, bufnr)
end

-- The hover of every server of the buffer in one window (K in Go buffers
-- before Neovim 0.11; vim.lsp.buf.hover() on 0.11+).
function M.hover()
  return require("synclens.hover").hover()
end

-- What synclens is doing now (a package load), or "": for a statusline.
function M.status()
  return require("synclens.progress").status()
end

-- Starts synclens for the filetypes in opts.filetypes (default go and
-- gomod). opts are client config fields: cmd, init_options (docsBaseURL,
-- disabledChecks, inlayHints), on_attach, capabilities, handlers, root_markers, ...
function M.setup(opts)
  opts = opts or {}
  define_commands()
  guide_buffers()
  if has_native_config() then
    local config = vim.tbl_extend("force", {}, opts)
    for k in pairs(plugin_options) do
      config[k] = nil
    end
    plugin_handlers(config, opts.progress ~= false)
    vim.lsp.config(M.name, config)
    vim.lsp.enable(M.name)
    return
  end
  local merged = vim.tbl_extend("force", M.defaults, opts)
  M.options = merged
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

-- Changes settings of the running servers, e.g.
--   require("synclens").configure({ disabledChecks = { "unreleasedlock" } })
--   require("synclens").configure({ disabledChecks = {} })  -- all on again
--   require("synclens").configure({ inlayHints = { heldLocks = true } })
-- Keys: docsBaseURL, disabledChecks, enabledChecks, inlayHints (heldLocks, goroutineJoins,
-- channelCapacity). Diagnostics and inlay hints update at once.
function M.configure(settings)
  for _, c in ipairs(synclens_clients()) do
    local all = c.config.settings or {}
    all.synclens = vim.tbl_extend("force", all.synclens or {}, settings)
    c.config.settings = all
    call(c, "notify", "workspace/didChangeConfiguration", { settings = { synclens = settings } })
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
