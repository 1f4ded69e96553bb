package dispatch

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// Created are the objects of a dispatch that exist: what Create made, for
// Delete.
type Created struct {
	Namespace   string
	ClusterRole string
	Bindings    []string
	Job         string
}

// Create makes the objects in order (the namespace first, the Job last)
// and returns what it made, also when it fails part way.
func Create(ctx context.Context, cs kubernetes.Interface, o *Objects) (*Created, error) {
	made := &Created{}
	opts := metav1.CreateOptions{}
	if _, err := cs.CoreV1().Namespaces().Create(ctx, o.Namespace, opts); err != nil {
		return made, fmt.Errorf("create namespace %s: %v", o.Namespace.Name, err)
	}
	made.Namespace = o.Namespace.Name
	if o.ClusterRole != nil {
		if _, err := cs.RbacV1().ClusterRoles().Create(ctx, o.ClusterRole, opts); err != nil {
			return made, fmt.Errorf("create clusterrole %s: %v", o.ClusterRole.Name, err)
		}
		made.ClusterRole = o.ClusterRole.Name
	}
	for _, b := range o.Bindings {
		if _, err := cs.RbacV1().ClusterRoleBindings().Create(ctx, b, opts); err != nil {
			return made, fmt.Errorf("create clusterrolebinding %s: %v", b.Name, err)
		}
		made.Bindings = append(made.Bindings, b.Name)
	}
	ns := o.Namespace.Name
	if _, err := cs.CoreV1().ServiceAccounts(ns).Create(ctx, o.ServiceAccount, opts); err != nil {
		return made, fmt.Errorf("create serviceaccount %s: %v", o.ServiceAccount.Name, err)
	}
	for _, c := range o.ConfigMaps {
		if _, err := cs.CoreV1().ConfigMaps(ns).Create(ctx, c, opts); err != nil {
			return made, fmt.Errorf("create configmap %s: %v", c.Name, err)
		}
	}
	if _, err := cs.BatchV1().Jobs(ns).Create(ctx, o.Job, opts); err != nil {
		return made, fmt.Errorf("create job %s: %v", o.Job.Name, err)
	}
	made.Job = o.Job.Name
	return made, nil
}

// Delete deletes what Create made and returns one line for each object
// it could not delete or that was still there after timeout. The Job goes
// first and its pods are waited for (they clean up their pages'
// namespaces on SIGTERM, with the rights the RBAC gives them), then the
// namespace (the ServiceAccount and ConfigMaps with it), then the RBAC.
func Delete(ctx context.Context, cs kubernetes.Interface, made *Created, timeout time.Duration) []string {
	var left []string
	bg := metav1.DeletePropagationBackground
	gone := func(what string, err error) {
		if err != nil && !apierrors.IsNotFound(err) {
			left = append(left, fmt.Sprintf("%s: %v", what, err))
		}
	}
	deadline := time.Now().Add(timeout)
	if made.Job != "" {
		err := cs.BatchV1().Jobs(made.Namespace).Delete(ctx, made.Job, metav1.DeleteOptions{PropagationPolicy: &bg})
		gone("job "+made.Namespace+"/"+made.Job, err)
		if err == nil {
			podsGone := func(ctx context.Context) (bool, error) {
				pods, err := cs.CoreV1().Pods(made.Namespace).List(ctx, metav1.ListOptions{LabelSelector: "batch.kubernetes.io/job-name=" + made.Job})
				return err == nil && len(pods.Items) == 0, nil
			}
			if err := wait.PollUntilContextTimeout(ctx, time.Second, time.Until(deadline), true, podsGone); err != nil {
				left = append(left, fmt.Sprintf("the pods of job %s/%s: still there after %s", made.Namespace, made.Job, timeout))
			}
		}
	}
	if made.Namespace != "" {
		err := cs.CoreV1().Namespaces().Delete(ctx, made.Namespace, metav1.DeleteOptions{})
		gone("namespace "+made.Namespace, err)
		if err == nil {
			nsGone := func(ctx context.Context) (bool, error) {
				_, err := cs.CoreV1().Namespaces().Get(ctx, made.Namespace, metav1.GetOptions{})
				return apierrors.IsNotFound(err), nil
			}
			if err := wait.PollUntilContextTimeout(ctx, 500*time.Millisecond, max(time.Until(deadline), time.Second), true, nsGone); err != nil {
				left = append(left, fmt.Sprintf("namespace %s: still terminating after %s", made.Namespace, timeout))
			}
		}
	}
	for _, b := range made.Bindings {
		gone("clusterrolebinding "+b, cs.RbacV1().ClusterRoleBindings().Delete(ctx, b, metav1.DeleteOptions{}))
	}
	if made.ClusterRole != "" {
		gone("clusterrole "+made.ClusterRole, cs.RbacV1().ClusterRoles().Delete(ctx, made.ClusterRole, metav1.DeleteOptions{}))
	}
	return left
}
