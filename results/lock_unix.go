//go:build unix

package results

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on the log for as long as it
// is open, so two runs resuming the same output directory cannot write
// over each other's trials. The lock goes with the file descriptor, so a
// killed run releases it.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return fmt.Errorf("%s: in use by another run", f.Name())
	}
	if errors.Is(err, syscall.ENOTSUP) || errors.Is(err, syscall.ENOSYS) {
		return nil // a file system without locks: run unguarded, as before
	}
	return err
}
