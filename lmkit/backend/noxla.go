//go:build noxla

package backend

// xlaPlugin: built with -tags=noxla, only the Go backend exists.
func xlaPlugin() (plugin, why string) { return "", "built with -tags=noxla" }
