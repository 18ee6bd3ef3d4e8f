package migrate

import "fmt"

// Step applies one schema change to a shard.
type Step func(shard string) error

// ShardError records which shard a step failed on.
type ShardError struct {
	Shard string
	Err   error
}

func (e *ShardError) Error() string { return fmt.Sprintf("migrate %s: %v", e.Shard, e.Err) }

func (e *ShardError) Unwrap() error { return e.Err }

// ApplyAll runs step on every shard concurrently and returns the first failure.
func ApplyAll(shards []string, step Step) error {
	errc := make(chan error)
	for _, s := range shards {
		go func(shard string) {
			var err error
			if e := step(shard); e != nil {
				err = &ShardError{Shard: shard, Err: e}
			}
			errc <- err
		}(s)
	}
	for range shards {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
