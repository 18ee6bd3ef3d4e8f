package pubsub

import "sync"

// Message is published on a topic.
type Message struct {
	Topic string
	Data  []byte
}

// Subscription receives the messages of one topic.
type Subscription struct {
	topic string
	ch    chan Message
	done  chan struct{}
}

// C returns the channel messages are delivered on.
func (s *Subscription) C() <-chan Message { return s.ch }

// Broker delivers messages to subscribers of a topic.
type Broker struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// NewBroker returns a broker without subscribers.
func NewBroker() *Broker {
	return &Broker{subs: make(map[*Subscription]struct{})}
}

// Subscribe registers interest in topic.
func (b *Broker) Subscribe(topic string) *Subscription {
	s := &Subscription{topic: topic, ch: make(chan Message), done: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

// Unsubscribe stops delivery to s.
func (b *Broker) Unsubscribe(s *Subscription) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[s]; ok {
		delete(b.subs, s)
		close(s.done)
	}
}

// Publish delivers m to every current subscriber of its topic, waiting
// until each has received it or unsubscribed.
func (b *Broker) Publish(m Message) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if s.topic != m.Topic {
			continue
		}
		select {
		case s.ch <- m:
		case <-s.done:
		}
	}
}
