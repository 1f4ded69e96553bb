package dispatch

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/docrun/docrun/result"
)

// The lines that frame a part's result in its pod's log.
const (
	BeginMarker = "docrun-result-begin"
	EndMarker   = "docrun-result-end"
)

// ErrNoResult is ReadResult's error for a log without a result.
var ErrNoResult = errors.New("no result in the pod's log (no " + BeginMarker + " line)")

// maxResult bounds a result read from a log (decoded).
const maxResult = 256 << 20

// ReadResult reads the result a pod printed between the markers: base64
// of the gzipped JSON (what the pods print), base64 of the JSON, or the
// JSON as is. The last framed result counts; lines around it (docrun
// run's progress) are skipped.
func ReadResult(log io.Reader) (*result.Result, error) {
	sc := bufio.NewScanner(log)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var body *bytes.Buffer
	var framed []byte
	inside := false
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		switch {
		case line == BeginMarker:
			body, inside = &bytes.Buffer{}, true
		case line == EndMarker && inside:
			framed, inside = body.Bytes(), false
		case inside:
			body.WriteString(line)
			body.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read the pod's log: %v", err)
	}
	if framed == nil {
		if inside {
			return nil, errors.New("the result in the pod's log ends early (no " + EndMarker + " line)")
		}
		return nil, ErrNoResult
	}
	data, err := decode(framed)
	if err != nil {
		return nil, err
	}
	var res result.Result
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("the result in the pod's log is not a docrun run result: %v", err)
	}
	for _, p := range res.Pages {
		if p == nil {
			return nil, errors.New("the result in the pod's log is not a docrun run result: a page is null")
		}
	}
	return &res, nil
}

// decode undoes the framing's encodings: base64 (unless the text is JSON
// already), then gzip when the data starts with its magic bytes.
func decode(framed []byte) ([]byte, error) {
	text := bytes.TrimSpace(framed)
	data := text
	if len(text) == 0 || text[0] != '{' {
		var err error
		data, err = io.ReadAll(io.LimitReader(base64.NewDecoder(base64.StdEncoding, newlineFree(text)), maxResult))
		if err != nil {
			return nil, fmt.Errorf("the result in the pod's log is not base64: %v", err)
		}
	}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("the result in the pod's log is not gzip: %v", err)
		}
		data, err = io.ReadAll(io.LimitReader(zr, maxResult))
		if err != nil {
			return nil, fmt.Errorf("the result in the pod's log is not gzip: %v", err)
		}
	}
	return data, nil
}

func newlineFree(b []byte) io.Reader {
	return strings.NewReader(strings.NewReplacer("\n", "", "\r", "").Replace(string(b)))
}
