package thumbs

import (
	"sync"
)

// Service renders thumbnails and caches them. While a render is in flight
// callers get a placeholder; the rendered image is cached for next time.
type Service struct {
	render      func(id string) ([]byte, error)
	describe    func(id string) (string, error)
	placeholder []byte

	mu    sync.Mutex
	cache map[string][]byte
}

// New returns a service using render and describe.
func New(render func(string) ([]byte, error), describe func(string) (string, error), placeholder []byte) *Service {
	return &Service{render: render, describe: describe, placeholder: placeholder, cache: make(map[string][]byte)}
}

// Thumbnail returns the image for id and its caption.
func (s *Service) Thumbnail(id string) ([]byte, string, error) {
	s.mu.Lock()
	img, ok := s.cache[id]
	s.mu.Unlock()

	var done chan []byte
	if !ok {
		done = make(chan []byte, 1)
		go func() {
			img, err := s.render(id)
			if err != nil {
				img = s.placeholder
			}
			s.mu.Lock()
			s.cache[id] = img
			s.mu.Unlock()
			done <- img
		}()
	}

	caption, err := s.describe(id)
	if err != nil {
		return nil, "", err
	}
	if ok {
		return img, caption, nil
	}
	select {
	case img := <-done:
		return img, caption, nil
	default:
		return s.placeholder, caption, nil
	}
}
