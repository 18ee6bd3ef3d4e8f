package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/synclens/synclens/hints"
)

// config is the user's configuration. It arrives as initializationOptions,
// in workspace/didChangeConfiguration, or as the answer to
// workspace/configuration, always in the same shape, either nested under
// "synclens" or flat:
//
//	{"synclens": {"docsBaseURL": "https://…", "disabledChecks": ["unreleasedlock"], "enabledChecks": ["lockstarvation"],
//	              "inlayHints": {"heldLocks": true, "goroutineJoins": false}}}
type config struct {
	// docsBaseURL is where diagnostics and hovers link to; "" means the
	// local copy of the guide written by docs.LocalCopy.
	docsBaseURL string
	disabled    map[string]bool
	// optIn lists checks shown although off by default ("all": every
	// check).
	optIn map[string]bool
	// inlay holds the kinds of inlay hints the user turned on or off;
	// the others follow hints.InlayDefault. Replaced, never modified, so
	// that copies of a config can be read without the lock.
	inlay map[hints.InlayKind]bool
	// buildFlags are passed to the go command (-tags, -modfile, as in
	// gopls's buildFlags); changing them reloads every package.
	buildFlags []string
}

type settings struct {
	DocsBaseURL    *string          `json:"docsBaseURL"`
	DisabledChecks *[]string        `json:"disabledChecks"`
	EnabledChecks  *[]string        `json:"enabledChecks"`
	InlayHints     map[string]*bool `json:"inlayHints"`
	BuildFlags     *[]string        `json:"buildFlags"`
}

// apply merges settings into c: keys that are present replace the current
// values, absent keys keep them. It reports whether anything changed.
func (c *config) apply(raw []byte, log *slog.Logger) (bool, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return false, nil
	}
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(raw, &outer); err != nil {
		return false, fmt.Errorf("settings are not a JSON object: %w", err)
	}
	if nested, ok := outer["synclens"]; ok {
		raw = nested
		if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
			return false, nil
		}
	}
	var st settings
	if err := json.Unmarshal(raw, &st); err != nil {
		return false, fmt.Errorf("invalid synclens settings: %w", err)
	}
	changed := false
	if st.DocsBaseURL != nil {
		base := strings.TrimSuffix(strings.TrimSpace(*st.DocsBaseURL), "/")
		changed = changed || base != c.docsBaseURL
		c.docsBaseURL = base
	}
	if st.DisabledChecks != nil {
		disabled := codeSet(*st.DisabledChecks, "disabledChecks", log)
		changed = changed || !sameSet(c.disabled, disabled)
		c.disabled = disabled
	}
	if st.EnabledChecks != nil {
		enabled := codeSet(*st.EnabledChecks, "enabledChecks", log)
		changed = changed || !sameSet(c.optIn, enabled)
		c.optIn = enabled
	}
	if st.InlayHints != nil {
		inlay := maps.Clone(c.inlay)
		if inlay == nil {
			inlay = make(map[hints.InlayKind]bool)
		}
		for name, on := range st.InlayHints {
			kind, ok := inlayKindNamed(name)
			if !ok {
				log.Warn("inlayHints names an unknown kind of hint", "name", name, "known", slices.Sorted(maps.Values(inlaySetting)))
				continue
			}
			if on == nil {
				delete(inlay, kind) // null: back to the default
			} else {
				inlay[kind] = *on
			}
		}
		for _, k := range hints.InlayKinds {
			changed = changed || c.inlayEnabled(k) != (config{inlay: inlay}).inlayEnabled(k)
		}
		c.inlay = inlay
	}
	if st.BuildFlags != nil {
		// Settings can come from a workspace (.vscode/settings.json): a
		// flag that makes the go command run a program of its choosing
		// would run the repository's code.
		var flags []string
		for i := 0; i < len(*st.BuildFlags); i++ {
			f := (*st.BuildFlags)[i]
			if name := strings.TrimLeft(f, "-"); name == "toolexec" || strings.HasPrefix(name, "toolexec=") {
				log.Warn("buildFlags: ignoring -toolexec", "flag", f)
				if !strings.Contains(f, "=") {
					i++ // its value
				}
				continue
			}
			flags = append(flags, f)
		}
		changed = changed || !slices.Equal(c.buildFlags, flags)
		c.buildFlags = flags
	}
	return changed, nil
}

// codeSet is a list of check codes as a set, warning about unknown codes.
func codeSet(codes []string, key string, log *slog.Logger) map[string]bool {
	set := make(map[string]bool)
	for _, code := range codes {
		if code != "all" && hints.Lookup(code) == nil {
			log.Warn(key+" names an unknown check", "code", code)
		}
		set[code] = true
	}
	return set
}

func sameSet(a, b map[string]bool) bool {
	return slices.Equal(slices.Sorted(mapKeys(a)), slices.Sorted(mapKeys(b)))
}

func inlayKindNamed(name string) (hints.InlayKind, bool) {
	for k, n := range inlaySetting {
		if n == name {
			return k, true
		}
	}
	return 0, false
}

// inlayEnabled reports whether inlay hints of kind k are shown.
func (c config) inlayEnabled(k hints.InlayKind) bool {
	if on, ok := c.inlay[k]; ok {
		return on
	}
	return hints.InlayDefault(k)
}

// enabled reports whether diagnostics of the check are shown: checks on
// by default unless disabled, the others when enabledChecks names them.
func (c *config) enabled(code string) bool {
	chk := hints.Lookup(code)
	if chk == nil || c.disabled[code] {
		return false
	}
	return chk.Default || c.optIn[code] || c.optIn["all"]
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (s *server) didChangeConfiguration(ctx context.Context, p *protocol.DidChangeConfigurationParams) error {
	s.mu.Lock()
	changed, err := s.applyLocked(p.Settings)
	pull := s.caps.configuration
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(p.Settings)) == 0 || string(bytes.TrimSpace(p.Settings)) == "null" {
		// The pull model: the notification only says "ask me". Asking is a
		// call, which must not happen on the read loop.
		if pull {
			s.goWork(s.pullConfiguration)
		}
		return nil
	}
	if changed {
		s.goWork(s.republishAll)
	}
	return nil
}

// applyLocked applies settings; new build flags make every package load
// again.
func (s *server) applyLocked(raw []byte) (bool, error) {
	flags := s.cfg.buildFlags
	changed, err := s.cfg.apply(raw, s.log)
	if err == nil && !slices.Equal(flags, s.cfg.buildFlags) {
		s.invalidateAllLocked(true)
	}
	return changed, err
}

// pullConfiguration asks the client for the "synclens" section.
func (s *server) pullConfiguration() {
	section := "synclens"
	res, err := s.client.Configuration(s.ctx, &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &section}}})
	if err != nil {
		s.log.Warn("workspace/configuration failed", "error", err)
		return
	}
	if len(res) == 0 {
		return
	}
	s.mu.Lock()
	changed, err := s.applyLocked(res[0])
	s.mu.Unlock()
	if err != nil {
		s.log.Warn("ignoring configuration", "error", err)
		return
	}
	if changed {
		s.republishAll()
	}
}

// registerWatchers asks the client to report changes to Go files and module
// files on disk: a changed go.mod, a file created or deleted, or a file
// changed outside the editor makes loaded packages stale.
func (s *server) registerWatchers() {
	opts, err := protocol.Marshal(&protocol.DidChangeWatchedFilesRegistrationOptions{
		Watchers: []protocol.FileSystemWatcher{
			{GlobPattern: protocol.Pattern("**/*.go")},
			{GlobPattern: protocol.Pattern("**/go.{mod,sum,work}")},
		},
	})
	if err != nil {
		s.log.Error("cannot encode watcher registration", "error", err)
		return
	}
	err = s.client.RegisterCapability(s.ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID:              "synclens-watch-files",
		Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: opts,
	}}})
	if err != nil {
		s.log.Warn("cannot register file watchers", "error", err)
	}
}

func version() string { return hints.Version }
