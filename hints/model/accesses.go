package model

// Access is a read or write of a struct field or package variable.
type Access struct{}

func (m *Model) collectAccesses() {}
