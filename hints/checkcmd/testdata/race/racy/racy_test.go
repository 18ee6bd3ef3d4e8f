package racy

import "testing"

func TestCount(t *testing.T) { Count() }

func TestMeasure(t *testing.T) { Measure() }
