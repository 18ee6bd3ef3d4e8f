package queueconsumer

import (
	"context"
	"sync"
)

// Message is a delivery from the broker.
type Message struct {
	ID   string
	Body []byte
	Ack  func() error
}

// Consumer processes deliveries with a fixed number of goroutines.
type Consumer struct {
	msgs   <-chan Message
	handle func(context.Context, Message) error
	wg     sync.WaitGroup
}

// New returns a consumer reading msgs.
func New(msgs <-chan Message, handle func(context.Context, Message) error) *Consumer {
	return &Consumer{msgs: msgs, handle: handle}
}

// Start launches n consumers that run until ctx is done or msgs is closed.
func (c *Consumer) Start(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case msg, ok := <-c.msgs:
					if !ok {
						return
					}
					if err := c.handle(ctx, msg); err == nil {
						msg.Ack()
					}
				}
			}
		}()
	}
}

// Wait blocks until every consumer has stopped.
func (c *Consumer) Wait() {
	c.wg.Wait()
}
