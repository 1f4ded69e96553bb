package dispatch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/docrun/docrun/result"
)

// Part is one part of the list as its pod runs it.
type Part struct {
	// K is the part, from 1, of N.
	K, N int
	// Pod is the name of its (last) pod, State what it is doing: pending,
	// running, done, failed, or a container's waiting reason
	// (ErrImagePull, ...).
	Pod, State string
	// Result is what the pod printed; Err why there is none.
	Result *result.Result
	Err    error
}

// Finished says whether the part is over.
func (p *Part) Finished() bool { return p.Result != nil || p.Err != nil }

// LogFunc returns the log of a pod's container.
type LogFunc func(ctx context.Context, namespace, pod string) (io.ReadCloser, error)

// PodLogs is the LogFunc of a clientset.
func PodLogs(cs kubernetes.Interface) LogFunc {
	return func(ctx context.Context, ns, pod string) (io.ReadCloser, error) {
		return cs.CoreV1().Pods(ns).GetLogs(pod, &corev1.PodLogOptions{Container: "docrun"}).Stream(ctx)
	}
}

// Collector follows a dispatch's Job until every part has ended, reading
// each part's result from its pod's log when the pod ends.
type Collector struct {
	Client kubernetes.Interface
	Logs   LogFunc
	// Namespace and Job name the Job; N is its number of parts.
	Namespace, Job string
	N              int
	// Progress is told of each change of a part's state.
	Progress func(*Part)
	// Poll is the time between two looks (2 s when 0).
	Poll time.Duration
	// Stuck is how long a pod may wait on an image it cannot pull or a
	// configuration error before its part fails (1 minute when 0).
	Stuck time.Duration

	parts []*Part
	since map[string]time.Time
}

// stuckReasons are the waiting reasons that do not end by themselves.
var stuckReasons = map[string]bool{"ErrImagePull": true, "ImagePullBackOff": true,
	"InvalidImageName": true, "CreateContainerConfigError": true, "CreateContainerError": true}

// Wait returns the parts once each has ended, or ctx's error.
func (c *Collector) Wait(ctx context.Context) ([]*Part, error) {
	c.parts = make([]*Part, c.N)
	for i := range c.parts {
		c.parts[i] = &Part{K: i + 1, N: c.N, State: "pending"}
	}
	c.since = map[string]time.Time{}
	poll := c.Poll
	if poll == 0 {
		poll = 2 * time.Second
	}
	for {
		if err := c.look(ctx); err != nil {
			return c.parts, err
		}
		if c.done() {
			return c.parts, nil
		}
		select {
		case <-ctx.Done():
			return c.parts, ctx.Err()
		case <-time.After(poll):
		}
	}
}

func (c *Collector) done() bool {
	for _, p := range c.parts {
		if !p.Finished() {
			return false
		}
	}
	return true
}

// look reads the Job's pods once and moves the parts on.
func (c *Collector) look(ctx context.Context) error {
	pods, err := c.Client.CoreV1().Pods(c.Namespace).List(ctx, metav1.ListOptions{
		LabelSelector: batchv1.JobNameLabel + "=" + c.Job})
	if err != nil {
		return fmt.Errorf("list the pods of job %s/%s: %v", c.Namespace, c.Job, err)
	}
	// The newest pod of an index speaks for it.
	newest := make([]*corev1.Pod, c.N)
	for i := range pods.Items {
		pod := &pods.Items[i]
		k, err := strconv.Atoi(pod.Labels[batchv1.JobCompletionIndexAnnotation])
		if err != nil {
			k, err = strconv.Atoi(pod.Annotations[batchv1.JobCompletionIndexAnnotation])
		}
		if err != nil || k < 0 || k >= c.N {
			continue
		}
		if newest[k] == nil || newest[k].CreationTimestamp.Before(&pod.CreationTimestamp) {
			newest[k] = pod
		}
	}
	for k, pod := range newest {
		part := c.parts[k]
		if pod == nil || part.Finished() && part.Pod == pod.Name {
			continue
		}
		c.update(ctx, part, pod)
	}
	return nil
}

// update moves part on to what its pod says.
func (c *Collector) update(ctx context.Context, part *Part, pod *corev1.Pod) {
	state := ""
	switch pod.Status.Phase {
	case corev1.PodSucceeded, corev1.PodFailed:
		part.Pod = pod.Name
		part.Result, part.Err = c.read(ctx, pod)
		state = "done"
		if part.Err != nil {
			state = "failed"
		}
	case corev1.PodRunning:
		state = "running"
	default:
		state = "pending"
		for _, cs := range pod.Status.ContainerStatuses {
			if w := cs.State.Waiting; w != nil && w.Reason != "" && w.Reason != "ContainerCreating" {
				state = w.Reason
				if stuckReasons[w.Reason] {
					c.stuck(part, pod, w)
				}
			}
		}
	}
	if state != part.State || part.Pod != pod.Name {
		part.State, part.Pod = state, pod.Name
		if c.Progress != nil {
			c.Progress(part)
		}
	}
}

// stuck fails a part whose pod has waited too long on what does not end.
func (c *Collector) stuck(part *Part, pod *corev1.Pod, w *corev1.ContainerStateWaiting) {
	limit := c.Stuck
	if limit == 0 {
		limit = time.Minute
	}
	first, ok := c.since[pod.Name]
	if !ok {
		c.since[pod.Name] = time.Now()
		return
	}
	if time.Since(first) >= limit {
		msg := w.Message
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		part.Err = fmt.Errorf("pod %s: %s: %s", pod.Name, w.Reason, msg)
	}
}

// read reads a finished pod's result from its log.
func (c *Collector) read(ctx context.Context, pod *corev1.Pod) (*result.Result, error) {
	rc, err := c.Logs(ctx, pod.Namespace, pod.Name)
	if err != nil {
		return nil, fmt.Errorf("pod %s: read its log: %v", pod.Name, err)
	}
	defer rc.Close()
	tail := &tailWriter{}
	res, err := ReadResult(io.TeeReader(rc, tail))
	if err != nil {
		msg := fmt.Sprintf("pod %s (%s%s): %v", pod.Name, pod.Status.Phase, exitOf(pod), err)
		if t := strings.TrimSpace(tail.String()); t != "" {
			msg += "; its log ends:\n" + t
		}
		return nil, errors.New(msg)
	}
	return res, nil
}

// tailWriter keeps the last lines written to it.
type tailWriter struct{ lines []string }

// tailLines is how many lines of a log an error shows.
const tailLines = 5

func (w *tailWriter) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if len(l) > 300 {
			l = l[:300] + "…"
		}
		w.lines = append(w.lines, l)
	}
	if len(w.lines) > tailLines {
		w.lines = w.lines[len(w.lines)-tailLines:]
	}
	return len(p), nil
}

func (w *tailWriter) String() string { return strings.Join(w.lines, "\n") }

func exitOf(pod *corev1.Pod) string {
	for _, cs := range pod.Status.ContainerStatuses {
		if t := cs.State.Terminated; t != nil {
			return fmt.Sprintf(", exit %d", t.ExitCode)
		}
	}
	return ""
}
