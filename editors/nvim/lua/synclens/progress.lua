-- What synclens is doing, while it does it. A first package load on a cold
-- build cache compiles the standard library's export data: 10-60 s without
-- a warning on the screen. synclens reports such a load as $/progress
-- (work done progress); this handler keeps Neovim's own bookkeeping (which
-- feeds vim.lsp.status() on 0.10+ and vim.lsp.util.get_progress_messages()
-- before) and tells the user with vim.notify when the load begins and ends.
-- status() is for a statusline.
local M = {}

-- Progress tokens in flight: token -> message.
local active = {}

-- The $/progress handler for synclens clients. notify is the function that
-- shows a message (vim.notify, or false for none).
function M.handler(notify)
  return function(err, result, ctx, config)
    local default = vim.lsp.handlers["$/progress"]
    if default then
      default(err, result, ctx, config)
    end
    local value = result and result.value
    if type(value) ~= "table" or result.token == nil then
      return
    end
    local token = tostring(result.token)
    if value.kind == "begin" then
      active[token] = value.message or value.title or "working"
      if notify then
        notify("synclens: " .. active[token], vim.log.levels.INFO)
      end
    elseif value.kind == "report" and active[token] and value.message then
      active[token] = value.message
    elseif value.kind == "end" then
      local was = active[token]
      active[token] = nil
      if notify and was then
        notify("synclens: " .. (value.message or "done"), vim.log.levels.INFO)
      end
    end
    vim.cmd("redrawstatus")
  end
end

-- What synclens is doing now, or "" when it is idle: for a statusline,
--   set statusline=%f\ %{v:lua.require'synclens'.status()}
function M.status()
  for _, msg in pairs(active) do
    return "synclens: " .. msg
  end
  return ""
end

return M
