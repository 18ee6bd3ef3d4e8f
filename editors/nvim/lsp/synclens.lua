-- synclens for Neovim 0.11+: with this folder on 'runtimepath',
--
--   vim.lsp.enable("synclens")
--
-- starts `synclens` for Go files. Override any field with
-- vim.lsp.config("synclens", { ... }), e.g. cmd or init_options.
return {
  cmd = { "synclens" },
  filetypes = { "go", "gomod" },
  root_markers = { "go.mod", "go.work", ".git" },
}
