package selftest_test

import (
	"fmt"

	"github.com/llm-map/lab/kernel-setup/selftest"
)

func ExampleHello() {
	fmt.Println(selftest.Hello())
	// Output: hello from github.com/llm-map/lab
}
