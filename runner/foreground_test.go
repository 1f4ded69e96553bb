package runner

import (
	"testing"

	"github.com/docrun/docrun/markdown"

	"github.com/docrun/docrun/result"
)

func TestForegroundServer(t *testing.T) {
	cases := []struct {
		name  string
		steps []string // step 0 is the server; the others follow it
		want  string   // the code step 0 runs
		note  bool
	}{
		{"proxy used by curl", []string{"kubectl proxy --port=8080\n", "curl localhost:8080/api\n"}, "kubectl proxy --port=8080 &\n", true},
		{"default port", []string{"kubectl proxy\n", "curl http://127.0.0.1:8001/api/\n"}, "kubectl proxy &\n", true},
		{"port-forward", []string{"kubectl port-forward svc/web 8080:80\n", "curl -s localhost:8080\n"}, "kubectl port-forward svc/web 8080:80 &\n", true},
		{"http.server", []string{"python3 -m http.server 9000\n", "wget -qO- http://localhost:9000/\n"}, "python3 -m http.server 9000 &\n", true},
		{"another port", []string{"kubectl proxy --port=8080\n", "curl localhost:8081/api\n"}, "kubectl proxy --port=8080\n", false},
		{"no later user", []string{"kubectl proxy --port=8080\n", "kubectl get pods\n"}, "kubectl proxy --port=8080\n", false},
		{"a port that is a prefix", []string{"kubectl proxy --port=808\n", "curl localhost:8080\n"}, "kubectl proxy --port=808\n", false},
		{"in a pipeline", []string{"kubectl proxy --port=8080 | tee log\n", "curl localhost:8080\n"}, "kubectl proxy --port=8080 | tee log\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pr := &pageRun{res: &result.PageResult{}}
			for i, code := range c.steps {
				s := markdown.Step{Index: i, Kind: markdown.KindCommand, Code: code, Runnable: true}
				f := markdown.AnalyzeCommand(code)
				s.Interactive, s.Background = f.Interactive, f.Background
				pr.res.Steps = append(pr.res.Steps, &result.StepResult{Step: s})
			}
			got, note := pr.foregroundServer(pr.res.Steps[0], c.steps[0])
			if got != c.want || (note != "") != c.note {
				t.Errorf("got %q, note %q; want %q, note %v", got, note, c.want, c.note)
			}
		})
	}
}
