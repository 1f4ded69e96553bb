package walk

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
)

// lines reads the reader's input a line at a time. A read waits for a line
// or for the context to end; the line is read from In only while a read is
// waiting, so that an editor started in between gets the terminal's input.
type lines struct {
	br      *bufio.Reader
	pending chan lineResult
}

type lineResult struct {
	line string
	err  error
}

func newLines(in io.Reader) *lines {
	if in == nil {
		in = strings.NewReader("")
	}
	return &lines{br: bufio.NewReader(in)}
}

// read returns the next line without its line ending. At the end of the
// input a last line without an ending is returned first, then io.EOF.
func (l *lines) read(ctx context.Context) (string, error) {
	if l.pending == nil {
		ch := make(chan lineResult, 1)
		go func() {
			s, err := l.br.ReadString('\n')
			if err == io.EOF && s != "" {
				err = nil
			}
			ch <- lineResult{strings.TrimRight(s, "\r\n"), err}
		}()
		l.pending = ch
	}
	select {
	case r := <-l.pending:
		l.pending = nil
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// RunEditor opens path in $EDITOR (vi when unset) on this process's
// terminal and waits for it to exit. EDITOR may hold arguments
// ("code --wait"); it is run by sh.
func RunEditor(path string) error {
	editor := os.Getenv("EDITOR")
	if editor == "" {
		editor = "vi"
	}
	cmd := exec.Command("sh", "-c", editor+` "$1"`, "sh", path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}
