-- Headless end-to-end test of the Neovim integration with a real synclens:
--
--   SYNCLENS=/path/to/synclens SAMPLE=<copy of editors/testdata/buggy> \
--     nvim --headless --clean --cmd "set rtp^=editors/nvim" -c "luafile editors/nvim/test/headless.lua"
--
-- It sets synclens up the way the README says (vim.lsp.enable on 0.11+,
-- require("synclens").setup() before), opens the buggy file, waits for the
-- unreleasedlock diagnostic, hovers the Lock call, applies the quick fix
-- through vim.lsp.buf.code_action(), follows "Open guide", disables the
-- check, and stops the server. It prints "ok"/"not ok" lines and exits with
-- :cquit 1 on the first failure, 0 when all pass. Waits are vim.wait on a
-- condition (the first load may compile the standard library: minutes on a
-- cold build cache), never fixed sleeps.

local SYNCLENS = assert(os.getenv("SYNCLENS"), "set SYNCLENS to the synclens binary")
local SAMPLE = assert(os.getenv("SAMPLE"), "set SAMPLE to a copy of editors/testdata/buggy")
-- GOPLS=<gopls binary>: gopls runs next to synclens, as it does for users.
local GOPLS = os.getenv("GOPLS")
-- SYNCLENS_EXPECT_PROGRESS=1: the first load is slow (a cold build cache),
-- so synclens reports it and the plugin must show it.
local EXPECT_PROGRESS = os.getenv("SYNCLENS_EXPECT_PROGRESS") == "1"
local FIRST_MS = tonumber(os.getenv("SYNCLENS_FIRST_WAIT_MS") or "") or 300000
local STEP_MS = 60000

local function say(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

local passed = 0
local function ok(cond, what, detail)
  if not cond then
    error(what .. (detail and (": " .. detail) or ""), 2)
  end
  passed = passed + 1
  say("ok " .. passed .. " - " .. what)
end

-- detail, if given, says what was seen instead when the wait times out.
local function wait(ms, what, cond, detail)
  local t0 = vim.loop.hrtime()
  local done = vim.wait(ms, cond, 20)
  if not done then
    error("timed out after " .. ms / 1000 .. "s waiting for " .. what .. (detail and (": " .. detail()) or ""), 2)
  end
  return (vim.loop.hrtime() - t0) / 1e6
end

local function read_file(path)
  local f = assert(io.open(path, "r"))
  local s = f:read("*a")
  f:close()
  return s
end

local function buf_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
end

local function clients_of(buf, name)
  name = name or "synclens"
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = buf, name = name })
  end
  local out = {}
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
    if c.name == name then
      table.insert(out, c)
    end
  end
  return out
end

local function request_sync(client, method, params, ms, buf)
  if vim.fn.has("nvim-0.11") == 1 then
    return client:request_sync(method, params, ms, buf)
  end
  return client.request_sync(method, params, ms, buf)
end

local function position_params()
  if vim.fn.has("nvim-0.11") == 1 then
    return vim.lsp.util.make_position_params(0, "utf-16")
  end
  return vim.lsp.util.make_position_params()
end

-- Starts gopls for Go buffers the way a user's config does, before
-- synclens is set up (so gopls attaches first).
local function setup_gopls()
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil then
    vim.lsp.config("gopls", { cmd = { GOPLS }, filetypes = { "go" }, root_markers = { "go.mod" } })
    vim.lsp.enable("gopls")
    return
  end
  local id = nil
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "go",
    callback = function(args)
      local config = { name = "gopls", cmd = { GOPLS }, root_dir = SAMPLE }
      if vim.lsp.start ~= nil then
        vim.lsp.start(config, { bufnr = args.buf })
        return
      end
      id = id or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, id)
    end,
  })
end

-- The floating windows on the screen.
local function floats()
  local out = {}
  for _, w in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(w).relative ~= "" then
      table.insert(out, w)
    end
  end
  return out
end

local function win_text(w)
  return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false), "\n")
end

-- The sample's unreleasedlock diagnostics (other checks may one day flag
-- other things in it; the test follows this one).
local function synclens_diags(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if d.source == "synclens" and (d.code or lsp.code) == "unreleasedlock" then
      table.insert(out, d)
    end
  end
  return out
end

-- Picks the code action with this title from vim.lsp.buf.code_action().
local function choose_action(title)
  local offered = nil
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    local pick = nil
    for _, item in ipairs(items) do
      -- 0.7: {client_id, action}; later: {ctx=..., action=...}
      local action = item.action or item[2]
      table.insert(offered, action.title)
      if action.title == title then
        pick = item
      end
    end
    on_choice(pick)
  end
  vim.lsp.buf.code_action()
  return function()
    return offered
  end
end

local function main()
  say("# " .. vim.fn.execute("version"):match("NVIM v[%d%.%-%w]+"))
  local exit = nil
  local file = SAMPLE .. "/cache.go"
  local fixed = read_file(SAMPLE .. "/cache.go.fixed")
  local buggy = read_file(file)

  -- What the plugin tells the user.
  local notes = {}
  vim.notify = function(msg)
    table.insert(notes, msg)
  end
  if GOPLS then
    setup_gopls()
    say("# gopls runs next to synclens: " .. GOPLS)
  end

  -- Set up as the README says.
  local opts = {
    cmd = { SYNCLENS },
    on_exit = function(code, signal)
      exit = { code = code, signal = signal }
    end,
  }
  -- SYNCLENS_NVIM_SETUP=setup tests require("synclens").setup() on 0.11+ too.
  if vim.lsp.config ~= nil and vim.lsp.enable ~= nil and os.getenv("SYNCLENS_NVIM_SETUP") ~= "setup" then
    local cfg = dofile(vim.api.nvim_get_runtime_file("lsp/synclens.lua", false)[1])
    ok(cfg.cmd[1] == "synclens", "lsp/synclens.lua is on the runtimepath")
    vim.lsp.config("synclens", opts)
    vim.lsp.enable("synclens")
    say("# set up with vim.lsp.config + vim.lsp.enable")
  else
    say("# set up with require('synclens').setup()")
    local cfg = dofile(vim.api.nvim_get_runtime_file("lsp/synclens.lua", false)[1])
    ok(vim.deep_equal(cfg, require("synclens").defaults), "lsp/synclens.lua matches the 0.7-0.10 defaults")
    require("synclens").setup(opts)
  end

  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  ok(vim.bo[buf].filetype == "go", "the file has filetype go")
  local ms = wait(STEP_MS, "synclens to attach and initialize", function()
    local c = clients_of(buf)[1]
    return c ~= nil and c.initialized
  end)
  local client = clients_of(buf)[1]
  ok(client.config.root_dir == vim.loop.fs_realpath(SAMPLE) or client.config.root_dir == SAMPLE,
    "the root is the module (go.mod)", client.config.root_dir)
  say("# initialized in " .. math.floor(ms) .. " ms")

  -- The diagnostic, with its code and guide link.
  local statuses = {}
  ms = wait(FIRST_MS, "the unreleasedlock diagnostic", function()
    local st = require("synclens").status()
    if st ~= "" then
      statuses[st] = true
    end
    return #synclens_diags(buf) > 0
  end)
  say("# first diagnostic after " .. math.floor(ms) .. " ms")
  if EXPECT_PROGRESS then
    local began, ended = nil, nil
    for _, n in ipairs(notes) do
      began = began or n:match("^synclens: loading .*")
      ended = ended or n:match("^synclens: done$")
    end
    ok(began ~= nil, "the slow first load is shown with vim.notify", vim.inspect(notes))
    ok(ended ~= nil, "and its end", vim.inspect(notes))
    ok(next(statuses) ~= nil and next(statuses):match("^synclens: loading") ~= nil,
      "require('synclens').status() says so for a statusline while it loads", vim.inspect(statuses))
  end
  local diags = synclens_diags(buf)
  ok(#diags == 1, "one unreleasedlock diagnostic", vim.inspect(diags))
  local d = diags[1]
  ok(d.lnum == 16, "on the c.mu.Lock() line", tostring(d.lnum))
  ok(d.message:match("c%.mu is locked here but not unlocked") ~= nil, "the message says what is wrong", d.message)
  local lsp = d.user_data and d.user_data.lsp or {}
  ok((d.code or lsp.code) == "unreleasedlock", "code unreleasedlock", vim.inspect(d))
  ok(lsp.code == "unreleasedlock", "user_data.lsp keeps the code")
  local href = lsp.codeDescription and lsp.codeDescription.href
  ok(type(href) == "string" and href:match("^file://.*#unreleasedlock$") ~= nil,
    "user_data.lsp keeps codeDescription.href, a link to the guide section", tostring(href))
  if vim.fn.has("nvim-0.11") == 0 then
    ok(d.message:match("^[^\n]* %[unreleasedlock%]\n") ~= nil, "the message shows the code (Neovim < 0.11 shows no code)", d.message)
    ok(d.message:match("\n  cache%.go:20: returns with c%.mu still locked") ~= nil,
      "and the related location, the return", d.message)
  end

  -- Hover on the Lock call: the request, then the floating window K shows.
  -- Line 17 is "\tc.mu.Lock()"; character 7 is inside "Lock".
  ok(vim.api.nvim_buf_get_lines(buf, 16, 17, false)[1] == "\tc.mu.Lock()", "line 17 is the Lock call")
  local lock_col = 7
  local res = vim.lsp.buf_request_sync(buf, "textDocument/hover", {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = 16, character = lock_col },
  }, STEP_MS)
  local hover = nil
  for _, r in pairs(res or {}) do
    if r.result then
      hover = r.result
    end
  end
  ok(hover ~= nil and hover.contents.kind == "markdown", "a markdown hover on c.mu.Lock()", vim.inspect(res))
  ok(hover.contents.value:match("%[Guide: [^%]]+%]%(file://[^)]+#[%w-]+%)") ~= nil,
    "the hover links to its guide section", hover.contents.value)
  local src_win = vim.api.nvim_get_current_win()
  vim.api.nvim_win_set_cursor(0, { 17, lock_col })
  if vim.fn.has("nvim-0.11") == 0 then
    local km = vim.fn.maparg("K", "n", false, true)
    ok(km.buffer == 1 and km.desc == require("synclens.hover").desc,
      "setup() maps K in the Go buffer to the hover of every server", vim.inspect(km))
  end
  if GOPLS then
    -- gopls answers hovers once it has loaded the package.
    wait(STEP_MS, "gopls to attach and initialize", function()
      local c = clients_of(buf, "gopls")[1]
      return c ~= nil and c.initialized
    end)
    local gopls = clients_of(buf, "gopls")[1]
    ok(true, "gopls is attached too")
    wait(FIRST_MS, "gopls's hover on Lock", function()
      local r = request_sync(gopls, "textDocument/hover", position_params(), 5000, buf)
      return r ~= nil and r.result ~= nil and r.result.contents ~= nil
    end)
  end
  vim.api.nvim_feedkeys("K", "mx", false)
  local float = nil
  wait(STEP_MS, "the hover window", function()
    for _, w in ipairs(floats()) do
      local text = win_text(w)
      if text:match("Guide") and (not GOPLS or text:match("func %(m %*[%w%.]*Mutex%) Lock%(%)")) then
        float = w
        return true
      end
    end
    return false
  end, function()
    local seen = {}
    for _, w in ipairs(floats()) do
      table.insert(seen, win_text(w))
    end
    return vim.inspect({ floats = seen, notes = notes })
  end)
  local shown = win_text(float)
  ok(shown:match("Guide") ~= nil, "K shows synclens's card in a floating window")
  if GOPLS then
    ok(shown:match("func %(m %*[%w%.]*Mutex%) Lock%(%)") ~= nil, "and gopls's card in the same window", shown)
    ok(#floats() == 1, "one hover window", tostring(#floats()))
  end
  ok(vim.api.nvim_get_current_win() == src_win, "the cursor stays in the file, not in the hover window")
  if vim.fn.has("nvim-0.11") == 0 then
    ok(shown:match("file://") == nil and shown:match(":SynclensGuide [%w-]+") ~= nil,
      "the card names :SynclensGuide instead of a file:// address Neovim cannot follow", shown)
  end
  vim.api.nvim_win_close(float, true)

  -- The quick fix through vim.lsp.buf.code_action().
  vim.api.nvim_win_set_cursor(0, { 17, lock_col })
  local offered = choose_action("Defer c.mu.Unlock() right after the lock")
  ms = wait(STEP_MS, "the quick fix to change the buffer", function()
    return buf_text(buf) == fixed
  end)
  local titles = offered() or {}
  ok(vim.tbl_contains(titles, "Defer c.mu.Unlock() right after the lock"), "the quick fix is offered", vim.inspect(titles))
  local guide_title = nil
  for _, t in ipairs(titles) do
    if t:match("^Open guide: ") then
      guide_title = t
    end
  end
  ok(guide_title ~= nil, "an Open guide action is offered", vim.inspect(titles))
  ok(buf_text(buf) == fixed, "the buffer holds the fixed text")
  wait(STEP_MS, "the diagnostic to clear after the fix", function()
    return #synclens_diags(buf) == 0
  end)
  ok(true, "the diagnostic is cleared after the fix")

  -- Undo: the diagnostic is back; then "Open guide" opens the section.
  vim.cmd("silent undo")
  ok(buf_text(buf) == buggy, "undo restores the buggy text")
  wait(STEP_MS, "the diagnostic after undo", function()
    return #synclens_diags(buf) == 1
  end)
  ok(true, "the diagnostic is back after undo")
  vim.api.nvim_win_set_cursor(0, { 17, lock_col })
  choose_action(guide_title)
  wait(STEP_MS, "the guide to open", function()
    return vim.api.nvim_get_current_buf() ~= buf
  end)
  local guide = vim.api.nvim_buf_get_name(0)
  ok(guide:match("%.md$") ~= nil, "Open guide shows the guide's markdown", guide)
  local heading = vim.api.nvim_get_current_line()
  ok(heading:match("^#+ ") ~= nil, "with the cursor on the section heading", heading)
  local concealed = false
  for _, m in ipairs(vim.fn.getmatches()) do
    concealed = concealed or (m.group == "Conceal" and vim.fn.match(heading, m.pattern) >= 0)
  end
  ok(concealed and vim.wo.conceallevel == 2 and not vim.bo.modifiable,
    "read-only, with the heading's {#anchor} concealed", vim.inspect(vim.fn.getmatches()))
  vim.cmd("buffer " .. buf)
  ok(#vim.fn.getmatches() == 0 and vim.wo.conceallevel == 0, "the Go buffer conceals nothing after the guide", vim.inspect(vim.fn.getmatches()))
  -- :SynclensGuide on the warning's line does the same.
  vim.cmd("bwipeout " .. vim.fn.bufnr(guide))
  vim.api.nvim_win_set_cursor(0, { 17, lock_col })
  vim.cmd("SynclensGuide")
  wait(STEP_MS, ":SynclensGuide to open the guide", function()
    return vim.api.nvim_buf_get_name(0) == guide
  end)
  ok(vim.api.nvim_get_current_line():match("unreleasedlock") ~= nil, ":SynclensGuide opens the warning's section", vim.api.nvim_get_current_line())
  vim.cmd("buffer " .. buf)

  -- Typing in Get so that it no longer type-checks pauses its warning: a
  -- hint on its name says so, and the warning is back once it compiles.
  vim.api.nvim_buf_set_lines(buf, 17, 17, false, { "\tundefinedYet()" })
  local paused = nil
  wait(STEP_MS, "the hint that Get's warnings are paused", function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.source == "synclens" and d.message:match("does not type%-check") then
        paused = d
      end
    end
    return paused ~= nil and #synclens_diags(buf) == 0
  end, function()
    return vim.inspect(vim.diagnostic.get(buf))
  end)
  ok(paused.severity == vim.diagnostic.severity.HINT and paused.lnum == 15
    and paused.message:match("^%(%*Cache%)%.Get does not type%-check: synclens's concurrency warnings for it are paused") ~= nil,
    "a function that stops type-checking gets a hint that its warnings are paused", vim.inspect(paused))
  vim.api.nvim_buf_set_lines(buf, 17, 18, false, {})
  ok(buf_text(buf) == buggy, "the line is removed again")
  wait(STEP_MS, "the warning once Get type-checks again", function()
    return #synclens_diags(buf) == 1
  end)
  ok(true, "the warning is back once it type-checks")

  -- Turning the check off clears its diagnostic at once.
  ok(#synclens_diags(buf) == 1, "the diagnostic is there before the check is disabled")
  local t0 = vim.loop.hrtime()
  require("synclens").configure({ disabledChecks = { "unreleasedlock" } })
  wait(STEP_MS, "the diagnostic to clear when the check is disabled", function()
    return #synclens_diags(buf) == 0
  end)
  ok(true, "disabledChecks clears the diagnostic (" .. math.floor((vim.loop.hrtime() - t0) / 1e6) .. " ms)")
  require("synclens").configure({ disabledChecks = {} })
  wait(STEP_MS, "the diagnostic when the check is on again", function()
    return #synclens_diags(buf) == 1
  end)
  ok(true, "enabling the check brings it back")

  -- :SynclensRestart: the server exits cleanly and a new one takes over.
  vim.cmd("SynclensRestart")
  wait(STEP_MS, "the old server to exit on :SynclensRestart", function()
    return exit ~= nil
  end)
  ok(exit.code == 0, ":SynclensRestart stops the server cleanly", vim.inspect(exit))
  exit = nil
  wait(STEP_MS, "a new synclens client", function()
    local c = clients_of(buf)[1]
    return c ~= nil and c.id ~= client.id and c.initialized
  end)
  client = clients_of(buf)[1]
  wait(FIRST_MS, "the diagnostic from the restarted server", function()
    return #synclens_diags(buf) == 1
  end)
  ok(true, "the restarted server publishes the diagnostic again")

  -- Stop the server: shutdown and exit, exit code 0.
  if vim.fn.has("nvim-0.11") == 1 then
    client:stop()
  else
    vim.lsp.stop_client(client.id)
  end
  wait(STEP_MS, "synclens to exit", function()
    return exit ~= nil
  end)
  ok(exit.code == 0, "synclens exits with code 0", vim.inspect(exit))
end

local okrun, err = xpcall(main, debug.traceback)
if okrun then
  say(passed .. " passed, 0 failed")
  vim.cmd("qall!")
else
  say("not ok " .. (passed + 1) .. " - " .. tostring(err))
  say(passed .. " passed, 1 failed")
  vim.cmd("cquit 1")
end
