package markdown

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestCueName(t *testing.T) {
	tests := []struct {
		lang, sentence, want string
	}{
		{"en", "Save the following YAML to my-crontab.yaml:", "my-crontab.yaml"},
		{"en", "For example, if you save the following CustomResourceDefinition to resourcedefinition.yaml:", "resourcedefinition.yaml"},
		{"en", "Create a file named patch-file.yaml that has this content:", "patch-file.yaml"},
		{"en", "Create another file named patch-file-retainkeys.yaml that has this content:", "patch-file-retainkeys.yaml"},
		{"en", "Create a new YAML file called my-namespace.yaml with the contents:", "my-namespace.yaml"},
		{"en", "Create the kustomization.yaml file:", "kustomization.yaml"},
		{"en", "Save the file as ./manifests/pod.yaml.", "manifests/pod.yaml"},
		{"en", "Put this script in a file called check.sh:", "check.sh"},
		{"en", "Copy the following into a file named Dockerfile:", "Dockerfile"},
		{"en", "Create the manifest:", ""},
		{"en", "Save your changes.", ""},
		{"en", "Create a Deployment from deployment.yaml:", ""},
		{"en", "See kubernetes.io/docs for more.", ""},
		{"en", "Save the output to /tmp/out.yaml:", ""},
		{"en", "Save it as ../up.yaml:", ""},
		{"ja", "次のマニフェストをa.yamlという名前で保存します。", "a.yaml"},
		{"ja", "次の内容をb.yamlとして保存し、適用します:", "b.yaml"},
		{"ja", "次のCustomResourceDefinitionをresourcedefinition.yamlに保存します:", "resourcedefinition.yaml"},
		{"ja", "以下の内容でpatch-file.yamlという名前のファイルを作成します:", "patch-file.yaml"},
		{"ja", "kustomization.yamlファイルを作成します:", "kustomization.yaml"},
		{"ja", "ファイルを作成します:", ""},
		{"ja", "Save the following YAML to d.yaml:", "d.yaml"},
		{"ja", "出力は次のようになります:", ""},
	}
	for _, tt := range tests {
		if got := cueName(tt.lang, tt.sentence); got != tt.want {
			t.Errorf("cueName(%s, %q) = %q, want %q", tt.lang, tt.sentence, got, tt.want)
		}
	}
}

func TestFileArgs(t *testing.T) {
	tests := []struct {
		code string
		want []string // "r name" or "w name" or "d name" (a -k folder)
	}{
		{"kubectl apply -f ./x.yaml -f y.yaml\n", []string{"r x.yaml", "r y.yaml"}},
		{"kubectl apply --filename=x.yaml\nkubectl delete -f=z.yaml\n", []string{"r x.yaml", "r z.yaml"}},
		{"kubectl apply -f https://k8s.io/examples/pods/pod.yaml -f - -f /etc/x.yaml -f $F\n", nil},
		{"kubectl logs -f my-pod\n", nil},
		{"kubectl apply -k .\nkubectl get -k <directory-path>\nkustomize build overlay/dev\nkubectl kustomize base\n", []string{"d .", "d .", "d overlay/dev", "d base"}},
		{"kubectl patch deploy x --patch-file p.yaml --type merge\n", []string{"r p.yaml"}},
		{"kubectl create secret generic s --from-file=./u.txt --from-file=key=k.txt --from-env-file .env\n", []string{"r .env", "r u.txt", "r k.txt"}},
		{"kubectl config set-credentials u --client-key=u.key --client-certificate u.crt --embed-certs=true\nkubectl config set-cluster c --certificate-authority=./ca.crt\n", []string{"r u.key", "r u.crt", "r ca.crt"}},
		{"kubectl exec pod -- cat /x server.js\n", nil},
		{"cat <<EOF > pod.yaml\nkind: Pod\nEOF\nkubectl apply -f pod.yaml\n", []string{"w pod.yaml", "r pod.yaml"}},
		{"kubectl get cm x -o yaml > out.yaml 2>&1\n", []string{"w out.yaml"}},
		{"echo hi | tee -a log.txt\ncat < in.txt\n", []string{"w log.txt", "r in.txt"}},
		{"bash run.sh arg.txt\nsh -c 'cat x'\npython3 app.py\n./tool --config c.yaml\n", []string{"r run.sh", "r app.py", "r tool"}},
		{"chmod +x kubectl\nsudo mv ./kubectl ~/bin/\n", []string{"r kubectl", "r kubectl"}},
		{"curl -LO https://dl.k8s.io/v1/bin/kubectl\ncurl -sSo out.json http://localhost:8080/api\nwget https://example.com/a.tgz\n", []string{"w kubectl", "w out.json", "w a.tgz"}},
		{"openssl req -new -key my.key -out my.csr -config csr.conf\n", []string{"r my.key", "w my.csr", "r csr.conf"}},
		{"go run main.go\ncp a.yaml b.yaml\n", []string{"r main.go", "r a.yaml", "w b.yaml"}},
		{"FOO=1 kubectl apply -f x.yaml && kubectl get -f x.yaml\n", []string{"r x.yaml", "r x.yaml"}},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range fileArgs(tt.code) {
			k := "r"
			switch {
			case a.dir:
				k = "d"
			case a.write:
				k = "w"
			}
			got = append(got, k+" "+a.name)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("fileArgs(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestKustomizationRefs(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
		refs []string
	}{
		{"resources:\n- deployment.yaml\n- ../base\n- https://example.com/x.yaml\n", true, []string{"deployment.yaml", "../base"}},
		{"secretGenerator:\n- name: s\n  files:\n  - username.txt\n  - key=password.txt\n  envs:\n  - .env.secret\n", true, []string{"username.txt", "password.txt", ".env.secret"}},
		{"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n- path: patch.yaml\n", true, []string{"patch.yaml"}},
		{"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", false, nil},
		{"namespace: x\n", false, nil},
		{"resources:\n  limits: {cpu: 1}\nother: 1\n", false, nil},
		{"not: [valid\n", false, nil},
	}
	for _, tt := range tests {
		refs, ok := kustomizationRefs(tt.code)
		if ok != tt.ok || !reflect.DeepEqual(refs, tt.refs) {
			t.Errorf("kustomizationRefs(%q) = %q, %v; want %q, %v", tt.code, refs, ok, tt.refs, tt.ok)
		}
	}
}

// TestCorpusFiles counts, over the corpus's task and tutorial pages, the
// files commands read that the page's own commands do not make: those
// docrun now writes from the page's blocks, and those still missing
// (listed with -v).
func TestCorpusFiles(t *testing.T) {
	dir := corpusDir(t)
	var pages []string
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") && strings.Contains(p, "/docs/") && !strings.Contains(p, "/included/") {
			pages = append(pages, p)
		}
		return err
	})
	var reads, provided, missing, stepsBefore, stepsAfter int
	for _, p := range pages {
		doc, err := Parse(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, f := range doc.Files {
			for _, u := range f.Uses {
				have[fmt.Sprint(u.Step, f.Name)] = true
			}
		}
		made := map[string]bool{}
		for _, st := range doc.Steps {
			if st.Kind != KindCommand || st.Target != nil {
				continue
			}
			r0, m0 := reads, missing
			for _, a := range fileArgs(st.Code) {
				name := a.name
				if a.dir {
					name = filepath.Join(name, "kustomization.yaml")
				}
				switch {
				case a.write:
					made[name] = true
				case made[name]:
				case have[fmt.Sprint(st.Index, name)]:
					reads++
					provided++
				default:
					reads++
					missing++
					rel, _ := filepath.Rel(dir, p)
					t.Logf("missing: %s step %d: %s", rel, st.Index, a.arg)
				}
			}
			if reads > r0 {
				stepsBefore++
			}
			if missing > m0 {
				stepsAfter++
			}
		}
	}
	t.Logf("reads of files no command of the page makes: %d; written by docrun from the page's blocks: %d; still missing: %d", reads, provided, missing)
	t.Logf("steps that read a file no command of the page makes: %d; of them still missing one: %d", stepsBefore, stepsAfter)
	if provided == 0 {
		t.Errorf("no file of the corpus is provided from its page's blocks")
	}
}

func TestFilePlaceholdersSkipYAMLComments(t *testing.T) {
	code := "metadata:\n  # must be <plural>.<group>\n  name: <name> # or <other>\n  note: \"a # <quoted>\"\n"
	got := filePlaceholders("x.yaml", code)
	if strings.Join(got, ",") != "name,quoted" {
		t.Errorf("yaml: %q", got)
	}
	if got := filePlaceholders("x.sh", "# <plural>\necho <name>\n"); len(got) != 2 {
		t.Errorf("script: %q", got)
	}
}
