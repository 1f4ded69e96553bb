package walk

import (
	"context"
	"io"
	"os"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// readKey reads one key from the terminal f in raw mode, so that the
// reader does not have to press Enter after s, e, r or q; the terminal's
// mode is restored before it returns. Enter is "". Ctrl-C interrupts the
// process as in the terminal's normal mode (raw mode turns off its
// signal); Ctrl-D is the end of the input.
func readKey(ctx context.Context, f *os.File) (string, error) {
	fd := int(f.Fd())
	old, err := term.MakeRaw(fd)
	if err != nil {
		return "", err
	}
	defer term.Restore(fd, old)
	type res struct {
		b   []byte
		err error
	}
	ch := make(chan res, 1)
	go func() {
		buf := make([]byte, 16)
		n, err := f.Read(buf)
		ch <- res{buf[:n], err}
	}()
	var r res
	select {
	case r = <-ch:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if r.err != nil {
		return "", r.err
	}
	if len(r.b) == 0 {
		return "", io.EOF
	}
	switch c := r.b[0]; c {
	case '\r', '\n':
		return "", nil
	case 3: // Ctrl-C
		term.Restore(fd, old)
		syscall.Kill(os.Getpid(), syscall.SIGINT)
		<-ctx.Done()
		return "", ctx.Err()
	case 4: // Ctrl-D
		return "", io.EOF
	case 0x1b: // an escape sequence (arrow keys): not a choice
		return "?", nil
	default:
		return strings.ToLower(string(rune(c))), nil
	}
}
