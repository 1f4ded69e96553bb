package dispatch

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

const resultJSON = `{"docrun_version":"v1","pages":[{"path":"a.md","steps":[]}],"summary":{"pages":1}}`

func gzipBase64(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	enc := base64.StdEncoding.EncodeToString(b.Bytes())
	// base64(1) wraps at 76 columns.
	var lines []string
	for len(enc) > 76 {
		lines, enc = append(lines, enc[:76]), enc[76:]
	}
	return strings.Join(append(lines, enc), "\n")
}

func TestReadResult(t *testing.T) {
	framed := func(body string) string {
		return "shard 1/2: 1 of 2 pages\nsummary: ...\n" + BeginMarker + "\n" + body + "\n" + EndMarker + "\n"
	}
	tests := []struct {
		name, log string
		wantErr   string
	}{
		{"gzip and base64, as the pods print it", framed(gzipBase64(t, resultJSON)), ""},
		{"base64 of the JSON", framed(base64.StdEncoding.EncodeToString([]byte(resultJSON))), ""},
		{"the JSON as is", framed(resultJSON), ""},
		{"CRLF line ends", strings.ReplaceAll(framed(gzipBase64(t, resultJSON)), "\n", "\r\n"), ""},
		{"the last framed result counts", framed("not base64 !") + framed(resultJSON), ""},
		{"no markers", "summary: 1 pages\n", "no result in the pod's log"},
		{"no end marker", BeginMarker + "\n" + resultJSON + "\n", "ends early"},
		{"not base64", framed("%%%"), "not base64"},
		{"not a result", framed(`{"pages": [null]}`), "a page is null"},
		{"not JSON", framed(base64.StdEncoding.EncodeToString([]byte("hello"))), "not a docrun run result"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ReadResult(strings.NewReader(tc.log))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Version != "v1" || len(res.Pages) != 1 || res.Pages[0].Path != "a.md" {
				t.Errorf("result = %+v", res)
			}
		})
	}
	if _, err := ReadResult(strings.NewReader("")); !errors.Is(err, ErrNoResult) {
		t.Errorf("empty log: err = %v, want ErrNoResult", err)
	}
}

// FuzzReadResult: any log gives a result or an error, never a panic, and
// a result framed in any surrounding log is read back.
func FuzzReadResult(f *testing.F) {
	f.Add("summary\n" + BeginMarker + "\n" + resultJSON + "\n" + EndMarker + "\n")
	f.Add(BeginMarker + "\nH4sIAAAAAAAA/w==\n" + EndMarker)
	f.Add(BeginMarker + "\n" + BeginMarker + "\n" + EndMarker + "\n" + EndMarker)
	f.Fuzz(func(t *testing.T, log string) {
		ReadResult(strings.NewReader(log))
		if strings.Contains(log, BeginMarker) || strings.Contains(log, EndMarker) {
			return
		}
		res, err := ReadResult(strings.NewReader(log + "\n" + BeginMarker + "\n" + resultJSON + "\n" + EndMarker + "\n"))
		if err != nil || res.Version != "v1" {
			t.Fatalf("a framed result after the log: %v", err)
		}
	})
}
