package main

// The transformer reads -layers, -heads, -dim and -dropout; -context sets its window (and the
// length of its position table); -positions picks a learned table or rotary positions.
func init() { modelFlags["gpt"] = []string{"layers", "heads", "dim", "dropout", "positions"} }
