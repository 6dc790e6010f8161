//go:build noxla

package backend

import (
	"context"
	"errors"
)

// InstallXLA is unavailable in a -tags=noxla build.
func InstallXLA(ctx context.Context, accept string) error {
	return errors.New("backend: this lmkit was built with the noxla build tag; rebuild without it to use XLA")
}
