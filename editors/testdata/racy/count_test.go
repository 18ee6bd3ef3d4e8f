package racy

import "testing"

func TestCount(t *testing.T) { Count() }
