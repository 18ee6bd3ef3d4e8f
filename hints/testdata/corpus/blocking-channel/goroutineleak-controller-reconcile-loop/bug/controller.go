package controller

import (
	"log"
	"time"
)

// Cluster reads and changes the actual state of a deployment.
type Cluster interface {
	Replicas(name string) (int, error)
	Scale(name string, n int) error
}

// Controller keeps the replica count of a deployment at the desired value.
type Controller struct {
	cluster  Cluster
	name     string
	desired  int
	period   time.Duration
	failures int
}

// New returns a controller for the named deployment.
func New(c Cluster, name string, desired int, period time.Duration) *Controller {
	return &Controller{cluster: c, name: name, desired: desired, period: period}
}

// Start launches the reconcile loop in the background.
func (c *Controller) Start() {
	go c.reconcileLoop()
}

func (c *Controller) reconcileLoop() {
	for {
		if err := c.reconcile(); err != nil {
			c.failures++
			log.Printf("reconcile %s: %v", c.name, err)
		}
		time.Sleep(c.period)
	}
}

func (c *Controller) reconcile() error {
	n, err := c.cluster.Replicas(c.name)
	if err != nil {
		return err
	}
	if n == c.desired {
		return nil
	}
	return c.cluster.Scale(c.name, c.desired)
}
