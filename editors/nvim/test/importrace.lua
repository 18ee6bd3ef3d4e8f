-- Headless test of :SynclensImportRace with a real synclens and a real
-- go test -race report:
--
--   SYNCLENS=/path/to/synclens SAMPLE=<copy of editors/testdata/racy> REPORT=<its go test -race output> \
--     nvim --headless --clean --cmd "set rtp^=editors/nvim" -c "luafile editors/nvim/test/importrace.lua"
--
-- It opens count.go, imports the report, and checks the runtime diagnostic
-- (its line, the other access in user_data.lsp.relatedInformation, the
-- static match in the message), then :SynclensClearRace. Prints "ok"/"not
-- ok" lines; exits with :cquit 1 on the first failure.
local SYNCLENS = assert(os.getenv("SYNCLENS"), "set SYNCLENS to the synclens binary")
local SAMPLE = assert(os.getenv("SAMPLE"), "set SAMPLE to a copy of editors/testdata/racy")
local REPORT = assert(os.getenv("REPORT"), "set REPORT to go test -race output for SAMPLE")
local FIRST_MS = tonumber(os.getenv("SYNCLENS_FIRST_WAIT_MS") or "") or 300000
local STEP_MS = 60000

local passed = 0
local function say(line)
  io.stdout:write(line .. "\n")
end
local function ok(cond, what, detail)
  if not cond then
    error(what .. (detail and (": " .. detail) or ""), 0)
  end
  passed = passed + 1
  say("ok " .. passed .. " - " .. what)
end
local function wait(ms, what, cond)
  if not vim.wait(ms, cond, 20) then
    error("timed out waiting for " .. what, 0)
  end
end

local function runtime_diags(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    if lsp.code == "runtimerace" then
      table.insert(out, d)
    end
  end
  return out
end

local function main()
  require("synclens").setup({ cmd = { SYNCLENS, "serve" } })
  ok(vim.fn.exists(":SynclensImportRace") == 2, ":SynclensImportRace is defined")
  vim.cmd("edit " .. SAMPLE .. "/count.go")
  local buf = vim.api.nvim_get_current_buf()
  wait(FIRST_MS, "the sharedcapture diagnostic", function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.user_data and d.user_data.lsp and d.user_data.lsp.code == "sharedcapture" then
        return true
      end
    end
    return false
  end)
  ok(true, "synclens analysed count.go")

  vim.cmd("SynclensImportRace " .. REPORT)
  wait(STEP_MS, "the runtime diagnostic", function()
    return #runtime_diags(buf) == 1
  end)
  local d = runtime_diags(buf)[1]
  -- count.go: the accesses are n++ on lines 14 and 16 (0-based 13 and 15).
  ok(d.lnum == 13 or d.lnum == 15, "the race is shown at one of the two accesses", tostring(d.lnum))
  ok(d.severity == vim.diagnostic.severity.ERROR, "as an error")
  ok(d.message:match("^data race seen by the race detector") ~= nil, "with the race detector's account", d.message)
  ok(d.message:match("%[sharedcapture%]") ~= nil, "naming synclens's static finding", d.message)
  local other = d.lnum == 13 and 15 or 13
  local related = false
  for _, r in ipairs(d.user_data.lsp.relatedInformation or {}) do
    if r.location.range.start.line == other and r.message:match("^earlier ") then
      related = true
    end
  end
  ok(related, "the other access is related information", vim.inspect(d.user_data.lsp.relatedInformation))
  ok(d.user_data.lsp.codeDescription.href:match("#race%-conditions$") ~= nil, "linked to the guide's race section")
  -- The diagnostics are published before the command answers.
  wait(STEP_MS, "the answer of the import", function()
    return require("synclens").last_import ~= nil
  end)
  local imported = require("synclens").last_import
  ok(imported and imported.races == 1 and imported.static == 1, "the import's summary counts it", vim.inspect(imported))

  vim.cmd("SynclensClearRace")
  wait(STEP_MS, "the runtime diagnostic to clear", function()
    return #runtime_diags(buf) == 0
  end)
  ok(true, ":SynclensClearRace clears it")
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
