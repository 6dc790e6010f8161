package text

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// printable shows token bytes for a label: printable runes as they are,
// other runes as Go escapes (\n, \u200b) and invalid UTF-8 bytes as <0xAB>,
// so every byte of a token is visible and no label is blank or garbled.
func printable(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, "<0x%02X>", s[i])
		case unicode.IsPrint(r):
			b.WriteString(s[i : i+n])
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += n
	}
	return b.String()
}

func badToken(id int) string { return fmt.Sprintf("<bad id %d>", id) }
