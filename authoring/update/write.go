package update

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// WriteFile replaces the page at path, whose bytes were old when it was
// parsed, with new: through a temporary file in the same folder renamed
// over it (a reader never sees half a page), with the page's mode. It
// refuses, with one line, when the page changed on disk since: the edit
// was made for old. A symlink is followed; the file it names is written.
func WriteFile(path string, old, new []byte) error {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return err
	}
	cur, err := os.ReadFile(real)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, old) {
		return fmt.Errorf("%s changed on disk while docrun ran it; not updated (run again)", path)
	}
	f, err := os.CreateTemp(filepath.Dir(real), "."+filepath.Base(real)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(new)
	if err == nil {
		err = f.Chmod(fi.Mode().Perm())
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, real)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
