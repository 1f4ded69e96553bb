package dispatch

import (
	"fmt"
	"strings"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
	"mvdan.cc/sh/v3/syntax"
	"sigs.k8s.io/yaml"
)

// Label marks every object of a dispatch with its ID.
const Label = "docrun.dev/dispatch"

// BundleMount is where the pods mount the bundle's ConfigMaps.
const BundleMount = "/docrun/bundle"

// Spec is what a dispatch runs.
type Spec struct {
	// ID names the dispatch's objects: docrun-dispatch-ID.
	ID string
	// Image is the image of docrun (make image).
	Image string
	// Shards is N, the parts of the page list; Parallelism how many pods
	// run at once (N when 0).
	Shards, Parallelism int
	// ClusterAdmin binds cluster-admin instead of Rules and admin.
	ClusterAdmin bool
	// Server is the API server's address as the pods reach it; "" is the
	// kubernetes Service (KUBERNETES_SERVICE_HOST). Either way its TLS
	// certificate is checked for the name kubernetes.default.svc.
	Server string
	// NodeSelector puts the pods on the nodes it selects.
	NodeSelector map[string]string
	// RunArgs are docrun run's flags for every part (--offline, --timeout
	// 60s, ...).
	RunArgs []string
	// Bundle is what the pods unpack; Chunks its tar.gz, split.
	Bundle *Bundle
	Chunks [][]byte
}

// Objects are what a dispatch makes, in the order it makes them.
type Objects struct {
	Namespace      *corev1.Namespace
	ServiceAccount *corev1.ServiceAccount
	ClusterRole    *rbacv1.ClusterRole // nil with ClusterAdmin
	Bindings       []*rbacv1.ClusterRoleBinding
	ConfigMaps     []*corev1.ConfigMap
	Job            *batchv1.Job
}

// Name is the name of the dispatch's objects, its namespace's too.
func (s *Spec) Name() string { return "docrun-dispatch-" + s.ID }

// Rules are the rights a page run needs beyond the built-in admin role
// in its namespaces (see the package documentation).
func Rules() []rbacv1.PolicyRule {
	return []rbacv1.PolicyRule{
		// Each page's namespace, and pages that label theirs (Pod
		// Security Admission).
		{APIGroups: []string{""}, Resources: []string{"namespaces"}, Verbs: []string{"create", "delete", "get", "list", "watch", "update", "patch"}},
		// The leak snapshot lists every cluster-scoped kind; the
		// capability check reads nodes, StorageClasses, APIServices,
		// kube-system's Services and the offline image list.
		{APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"get", "list", "watch"}},
		// The admin role only reads these; pages about quotas make them.
		{APIGroups: []string{""}, Resources: []string{"resourcequotas", "limitranges"}, Verbs: []string{"create", "update", "patch", "delete", "deletecollection"}},
		// Feature gates (kubernetes_feature_enabled).
		{NonResourceURLs: []string{"/metrics"}, Verbs: []string{"get"}},
	}
}

// Objects builds the dispatch's objects.
func (s *Spec) Objects() *Objects {
	name := s.Name()
	meta := func(namespaced bool, suffix string) metav1.ObjectMeta {
		m := metav1.ObjectMeta{Name: name + suffix, Labels: map[string]string{
			"app.kubernetes.io/managed-by": "docrun", Label: s.ID}}
		if namespaced {
			m.Namespace = name
		}
		return m
	}
	o := &Objects{
		Namespace:      &corev1.Namespace{ObjectMeta: meta(false, "")},
		ServiceAccount: &corev1.ServiceAccount{ObjectMeta: meta(true, "")},
	}
	subject := []rbacv1.Subject{{Kind: "ServiceAccount", Name: name, Namespace: name}}
	bind := func(suffix, role string) *rbacv1.ClusterRoleBinding {
		return &rbacv1.ClusterRoleBinding{ObjectMeta: meta(false, suffix), Subjects: subject,
			RoleRef: rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role}}
	}
	if s.ClusterAdmin {
		o.Bindings = []*rbacv1.ClusterRoleBinding{bind("", "cluster-admin")}
	} else {
		o.ClusterRole = &rbacv1.ClusterRole{ObjectMeta: meta(false, ""), Rules: Rules()}
		o.Bindings = []*rbacv1.ClusterRoleBinding{bind("", name), bind("-admin", "admin")}
	}
	var sources []corev1.VolumeProjection
	for i, c := range s.Chunks {
		cm := &corev1.ConfigMap{ObjectMeta: meta(true, fmt.Sprintf("-bundle-%d", i)),
			BinaryData: map[string][]byte{"bundle": c}}
		items := []corev1.KeyToPath{{Key: "bundle", Path: fmt.Sprintf("bundle-%03d", i)}}
		if i == 0 {
			cm.Data = map[string]string{"pages": strings.Join(s.Bundle.Pages, "\n") + "\n"}
			items = append(items, corev1.KeyToPath{Key: "pages", Path: "pages"})
		}
		o.ConfigMaps = append(o.ConfigMaps, cm)
		sources = append(sources, corev1.VolumeProjection{ConfigMap: &corev1.ConfigMapProjection{
			LocalObjectReference: corev1.LocalObjectReference{Name: cm.Name}, Items: items}})
	}
	parallelism := s.Parallelism
	if parallelism <= 0 {
		parallelism = s.Shards
	}
	o.Job = &batchv1.Job{ObjectMeta: meta(true, ""), Spec: batchv1.JobSpec{
		CompletionMode:       ptr.To(batchv1.IndexedCompletion),
		Completions:          ptr.To(int32(s.Shards)),
		Parallelism:          ptr.To(int32(parallelism)),
		BackoffLimitPerIndex: ptr.To(int32(0)),
		Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{Label: s.ID}},
			Spec: corev1.PodSpec{
				ServiceAccountName: name,
				NodeSelector:       s.NodeSelector,
				RestartPolicy:      corev1.RestartPolicyNever,
				// docrun run ends its pages' processes and deletes their
				// namespaces on SIGTERM (the Job deleted on Ctrl-C of
				// dispatch): give it the time.
				TerminationGracePeriodSeconds: ptr.To(int64(90)),
				Containers: []corev1.Container{{
					Name:            "docrun",
					Image:           s.Image,
					ImagePullPolicy: corev1.PullAlways, // a tag rebuilt (make image) is fetched again; layers are cached
					Command:         []string{"bash", "-c", s.script()},
					Env:             []corev1.EnvVar{{Name: "DOCRUN_SERVER", Value: s.Server}},
					VolumeMounts:    []corev1.VolumeMount{{Name: "bundle", MountPath: BundleMount, ReadOnly: true}},
				}},
				Volumes: []corev1.Volume{{Name: "bundle", VolumeSource: corev1.VolumeSource{
					Projected: &corev1.ProjectedVolumeSource{Sources: sources}}}},
			},
		},
	}}
	return o
}

// script is the pod's bash: unpack, write the kubeconfig, run the part,
// print its result between the markers.
func (s *Spec) script() string {
	args := []string{"--shard", `"$((JOB_COMPLETION_INDEX+1))/` + fmt.Sprint(s.Shards) + `"`,
		"--json", "/tmp/docrun-result.json", "--yes", "--quiet"}
	for _, a := range s.RunArgs {
		args = append(args, quote(a))
	}
	return fmt.Sprintf(podScript, quote(s.Bundle.Root), BundleMount, quote(s.Bundle.Workdir),
		strings.Join(args, " "), BeginMarker, EndMarker)
}

func quote(s string) string {
	q, err := syntax.Quote(s, syntax.LangBash)
	if err != nil {
		// Only a string with a NUL byte cannot be quoted; arguments
		// and paths have none.
		return "''"
	}
	return q
}

// podScript's kubeconfig names the ServiceAccount's token file, which the
// kubelet renews, rather than a copy of the token.
const podScript = `set -u
mkdir -p %[1]s && cat %[2]s/bundle-* | tar -xzf - -C %[1]s || exit 2
mkdir -p %[3]s && cd %[3]s || exit 2
sa=/var/run/secrets/kubernetes.io/serviceaccount
server=${DOCRUN_SERVER:-https://${KUBERNETES_SERVICE_HOST}:${KUBERNETES_SERVICE_PORT}}
cat >/tmp/kubeconfig <<KUBECONFIG_END
apiVersion: v1
kind: Config
clusters:
- name: kubernetes
  cluster: {server: "$server", certificate-authority: $sa/ca.crt, tls-server-name: kubernetes.default.svc}
users:
- name: docrun
  user: {tokenFile: $sa/token}
contexts:
- name: docrun
  context: {cluster: kubernetes, user: docrun, namespace: default}
current-context: docrun
KUBECONFIG_END
export KUBECONFIG=/tmp/kubeconfig
mapfile -t pages <%[2]s/pages
docrun run %[4]s -- "${pages[@]}" &
pid=$!
# bash as PID 1 ignores SIGTERM: pass it on, so that docrun cleans up.
trap 'kill -TERM "$pid"' TERM INT
wait "$pid"
rc=$?
while kill -0 "$pid" 2>/dev/null; do wait "$pid"; rc=$?; done
[ -s /tmp/docrun-result.json ] || exit "$rc"
echo %[5]s
gzip -c /tmp/docrun-result.json | base64
echo %[6]s
`

// List is the objects in the order they are made.
func (o *Objects) List() []runtime.Object {
	out := []runtime.Object{o.Namespace, o.ServiceAccount}
	if o.ClusterRole != nil {
		out = append(out, o.ClusterRole)
	}
	for _, b := range o.Bindings {
		out = append(out, b)
	}
	for _, c := range o.ConfigMaps {
		out = append(out, c)
	}
	return append(out, o.Job)
}

// YAML writes the objects as one YAML stream, as kubectl apply -f reads it.
func (o *Objects) YAML() ([]byte, error) {
	var b strings.Builder
	for i, obj := range o.List() {
		setKind(obj)
		data, err := yaml.Marshal(obj)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(data)
	}
	return []byte(b.String()), nil
}

// setKind fills an object's apiVersion and kind, which typed objects
// leave empty.
func setKind(obj runtime.Object) {
	var tm *metav1.TypeMeta
	kind := ""
	switch x := obj.(type) {
	case *corev1.Namespace:
		tm, kind = &x.TypeMeta, "Namespace"
	case *corev1.ServiceAccount:
		tm, kind = &x.TypeMeta, "ServiceAccount"
	case *corev1.ConfigMap:
		tm, kind = &x.TypeMeta, "ConfigMap"
	case *rbacv1.ClusterRole:
		tm, kind = &x.TypeMeta, "ClusterRole"
	case *rbacv1.ClusterRoleBinding:
		tm, kind = &x.TypeMeta, "ClusterRoleBinding"
	case *batchv1.Job:
		tm, kind = &x.TypeMeta, "Job"
	default:
		return
	}
	tm.Kind = kind
	switch kind {
	case "ClusterRole", "ClusterRoleBinding":
		tm.APIVersion = rbacv1.SchemeGroupVersion.String()
	case "Job":
		tm.APIVersion = batchv1.SchemeGroupVersion.String()
	default:
		tm.APIVersion = "v1"
	}
}
