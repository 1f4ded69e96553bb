package clustertest

import (
	"context"
	"os"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// RealNodeLabel is the label of the local cluster's real node (the one that
// runs containers, tools/node.sh), with the value "true". A taint with the
// same key, when the node has one, keeps other Pods off it.
const RealNodeLabel = "docrun.dev/real"

// RequireRealNode is Require, then skips t unless the local cluster has a
// Ready real node (one labelled RealNodeLabel=true); it returns the node's
// name. With DOCRUN_REQUIRE_REAL_NODE=1 (make test-real-node) a missing
// node fails t instead.
func RequireRealNode(t testing.TB) (*Env, string) {
	t.Helper()
	e := Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	nodes, err := e.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: RealNodeLabel + "=true"})
	if err != nil {
		t.Fatalf("list nodes: %v", err)
	}
	for _, n := range nodes.Items {
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue {
				return e, n.Name
			}
		}
	}
	if os.Getenv("DOCRUN_REQUIRE_REAL_NODE") == "1" {
		t.Fatalf("no Ready real node (label %s=true) on the local cluster, and DOCRUN_REQUIRE_REAL_NODE=1 (make test-real-node) requires one: see tools/cluster.sh up's output", RealNodeLabel)
	}
	t.Skipf("no Ready real node (label %s=true) on the local cluster: tools/cluster.sh up starts one where the machine can run it", RealNodeLabel)
	return nil, ""
}

// OnRealNode makes spec run on the real node: a node selector for
// RealNodeLabel and a toleration of its taint.
func OnRealNode(spec *corev1.PodSpec) {
	if spec.NodeSelector == nil {
		spec.NodeSelector = map[string]string{}
	}
	spec.NodeSelector[RealNodeLabel] = "true"
	spec.Tolerations = append(spec.Tolerations, corev1.Toleration{Key: RealNodeLabel, Operator: corev1.TolerationOpExists})
}
