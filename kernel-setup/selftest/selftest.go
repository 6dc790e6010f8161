// Package selftest is a tiny package of this module that the kernel setup
// imports from a notebook cell to prove that GoNB resolves
// github.com/llm-map/lab/... from this checkout.
package selftest

// Hello returns a fixed greeting.
func Hello() string { return "hello from github.com/llm-map/lab" }
