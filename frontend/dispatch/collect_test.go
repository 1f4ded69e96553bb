package dispatch

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func jobPod(name string, index int, phase corev1.PodPhase, created int, waiting string) *corev1.Pod {
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns",
		CreationTimestamp: metav1.NewTime(time.Unix(int64(created), 0)),
		Labels: map[string]string{batchv1.JobNameLabel: "job",
			batchv1.JobCompletionIndexAnnotation: fmt.Sprint(index)}},
		Status: corev1.PodStatus{Phase: phase}}
	if waiting != "" {
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "docrun",
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: waiting, Message: "not found\nmore"}}}}
	}
	return p
}

// TestCollector follows the pods of a Job of three parts with a fake
// clientset: a part whose pod printed its result, one whose pod ended
// without one, one whose image cannot be pulled; pods of other Jobs are
// not looked at.
func TestCollector(t *testing.T) {
	cs := fake.NewClientset(
		jobPod("job-0-a", 0, corev1.PodSucceeded, 1, ""),
		jobPod("job-1-a", 1, corev1.PodFailed, 1, ""),
		jobPod("job-2-a", 2, corev1.PodPending, 1, "ImagePullBackOff"),
		&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "other", Namespace: "ns",
			Labels: map[string]string{batchv1.JobNameLabel: "other-job", batchv1.JobCompletionIndexAnnotation: "0"}}},
	)
	logs := map[string]string{
		"job-0-a": "summary: ...\n" + BeginMarker + "\n" + resultJSON + "\n" + EndMarker + "\n",
		"job-1-a": "docrun: kubeconfig: no current context\n",
	}
	var read []string
	logFunc := func(_ context.Context, ns, pod string) (io.ReadCloser, error) {
		read = append(read, pod)
		return io.NopCloser(strings.NewReader(logs[pod])), nil
	}
	var progress []string
	c := &Collector{Client: cs, Logs: logFunc, Namespace: "ns", Job: "job", N: 3,
		Poll: time.Millisecond, Stuck: time.Nanosecond,
		Progress: func(p *Part) { progress = append(progress, fmt.Sprintf("%d/%d %s %s", p.K, p.N, p.Pod, p.State)) }}
	parts, err := c.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if parts[0].Result == nil || parts[0].Err != nil || parts[0].Result.Pages[0].Path != "a.md" {
		t.Errorf("part 1: %+v", parts[0])
	}
	if parts[1].Result != nil || parts[1].Err == nil || !strings.Contains(parts[1].Err.Error(), "pod job-1-a (Failed): no result") || !strings.HasSuffix(parts[1].Err.Error(), "its log ends:\ndocrun: kubeconfig: no current context") {
		t.Errorf("part 2: err = %v", parts[1].Err)
	}
	if parts[2].Err == nil || parts[2].Err.Error() != "pod job-2-a: ImagePullBackOff: not found" {
		t.Errorf("part 3: err = %v", parts[2].Err)
	}
	want := []string{"1/3 job-0-a done", "2/3 job-1-a failed", "3/3 job-2-a ImagePullBackOff"}
	if strings.Join(progress, "\n") != strings.Join(want, "\n") {
		t.Errorf("progress:\n%s\nwant:\n%s", strings.Join(progress, "\n"), strings.Join(want, "\n"))
	}
	if strings.Join(read, " ") != "job-0-a job-1-a" {
		t.Errorf("logs read: %v, want each finished pod's once", read)
	}
}

// TestCollectorNewestPod: a part's newest pod speaks for it, and a part
// not started yet keeps Wait waiting until ctx ends.
func TestCollectorNewestPod(t *testing.T) {
	cs := fake.NewClientset(
		jobPod("job-0-new", 0, corev1.PodRunning, 2, ""),
		jobPod("job-0-old", 0, corev1.PodFailed, 1, ""),
	)
	c := &Collector{Client: cs, Namespace: "ns", Job: "job", N: 2, Poll: time.Millisecond,
		Logs: func(context.Context, string, string) (io.ReadCloser, error) {
			return io.NopCloser(strings.NewReader("")), nil
		}}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	parts, err := c.Wait(ctx)
	if err == nil {
		t.Fatal("Wait ended before the parts did")
	}
	if parts[0].Pod != "job-0-new" || parts[0].State != "running" || parts[0].Finished() {
		t.Errorf("part 1: %+v", parts[0])
	}
	if parts[1].State != "pending" || parts[1].Pod != "" {
		t.Errorf("part 2: %+v", parts[1])
	}
}
