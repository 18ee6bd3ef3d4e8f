-- Commands of the synclens plugin, defined when this folder is on the
-- runtimepath (the server itself starts from setup() or vim.lsp.enable):
--   :SynclensImportRace {file}   show go test -race output or a goroutine leak profile
--   :SynclensClearRace           clear them
if vim.g.loaded_synclens then
  return
end
vim.g.loaded_synclens = true
require("synclens").create_commands()
