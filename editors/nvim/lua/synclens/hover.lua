-- One hover window for every language server of the buffer, for Neovim
-- 0.7-0.10. There vim.lsp.buf.hover() sends the request to each server and
-- shows each reply with the same focus id: with gopls and synclens both
-- answering, the second reply finds the first one's window and moves the
-- cursor into it instead of showing its own card, so gopls's hover (or
-- synclens's) is never seen. Here the replies are collected and shown
-- together, one after the other, in a single window. Neovim 0.11+ does the
-- same itself, and hover() simply calls vim.lsp.buf.hover().
local M = {}

local FOCUS_ID = "textDocument/hover"

-- Links to the local copy of the guide, file://…/page.html#anchor, cannot be
-- followed from a hover window; the text stays and the address is replaced
-- by the command that opens the section.
local function guide_links(line)
  return (line:gsub("%[([^%]]+)%]%((file://[^)%s]+)#([%w%-_]+)%)", function(text, _, anchor)
    return text .. " (:SynclensGuide " .. anchor .. ")"
  end))
end

-- The markdown lines of one reply, or nil if it has nothing to show.
local function reply_lines(result)
  if not (result and result.contents) then
    return nil
  end
  local lines = vim.lsp.util.convert_input_to_markdown_lines(result.contents)
  lines = vim.lsp.util.trim_empty_lines(lines)
  if vim.tbl_isempty(lines) then
    return nil
  end
  return lines
end

-- The lines of the merged card: each server's reply in the order of their
-- client ids (the order they attached), separated by a rule.
function M.merge(results)
  local ids = vim.tbl_keys(results)
  table.sort(ids)
  local out = {}
  for _, id in ipairs(ids) do
    local r = results[id]
    local lines = reply_lines(r.result)
    if lines then
      if #out > 0 then
        table.insert(out, "---")
      end
      for _, l in ipairs(lines) do
        table.insert(out, guide_links(l))
      end
    end
  end
  return out
end

-- Shows the hover of every server attached to the current buffer in one
-- window. Pressed again while it is open, it focuses that window, as K does.
function M.hover()
  if vim.fn.has("nvim-0.11") == 1 then
    return vim.lsp.buf.hover()
  end
  local bufnr = vim.api.nvim_get_current_buf()
  local ok, winvar = pcall(vim.api.nvim_win_get_var, 0, FOCUS_ID)
  if ok and winvar then
    return -- in the hover window already
  end
  for _, win in ipairs(vim.api.nvim_tabpage_list_wins(0)) do
    local found, owner = pcall(vim.api.nvim_win_get_var, win, FOCUS_ID)
    if found and owner == bufnr then
      vim.api.nvim_set_current_win(win)
      return
    end
  end
  local params = vim.lsp.util.make_position_params()
  vim.lsp.buf_request_all(bufnr, "textDocument/hover", params, function(results)
    if vim.api.nvim_get_current_buf() ~= bufnr then
      return -- the user moved on
    end
    local lines = M.merge(results or {})
    if #lines == 0 then
      vim.notify("No information available", vim.log.levels.INFO)
      return
    end
    vim.lsp.util.open_floating_preview(lines, "markdown", { focus_id = FOCUS_ID })
  end)
end

M.desc = "hover of every language server (synclens)"

-- Maps K in the buffer to hover(), unless the buffer has a K mapping of its
-- own (a user's on_attach can map K to require("synclens").hover).
function M.map_k(bufnr)
  if vim.fn.has("nvim-0.11") == 1 then
    return
  end
  local existing = vim.api.nvim_buf_call(bufnr, function()
    return vim.fn.maparg("K", "n", false, true)
  end)
  if existing.buffer == 1 and existing.desc ~= M.desc then
    return
  end
  vim.keymap.set("n", "K", M.hover, { buffer = bufnr, desc = M.desc })
end

return M
