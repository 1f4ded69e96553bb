// Package dispatch runs the parts of a page list (docrun run --shard K/N)
// as the pods of one Kubernetes Indexed Job, and gathers their results
// (docrun dispatch).
//
// What it makes, all named docrun-dispatch-ID and labelled
// docrun.dev/dispatch=ID (Objects):
//
//   - a Namespace of its own, holding the rest but the RBAC;
//   - the page bundle: a tar.gz of the pages and every file they read
//     (their includes and example files, markdown.Page.Deps; the site's
//     i18n/ and the example folders their commands may name; docrun.yaml),
//     split over ConfigMaps of at most ChunkSize bytes of binaryData each.
//     A tar.gz rather than a ConfigMap per file: ConfigMap keys cannot hold
//     a path's slashes (every file would need an items entry mapping it to
//     its folder), a site run names hundreds of files (hundreds of objects
//     to make and delete), and markdown compresses four to five times, so
//     the corpus (165 files) fits one 220 kB ConfigMap. The pods mount the
//     chunks through one projected volume and unpack them (cat | tar -xz)
//     into the same absolute folder as on the dispatching machine, and
//     run from the same working folder: the pages' paths, the sites docrun
//     finds above them and the paths in the results are the local ones,
//     so render --from reads the pages' prose here;
//   - a ServiceAccount and its RBAC (Rules): a ClusterRole for what a
//     page run needs outside its namespace (create, change and delete
//     namespaces; read every object, as the leak snapshot and the
//     cluster's capabilities do; /metrics for feature gates; ResourceQuotas
//     and LimitRanges, which the built-in admin role only reads), a
//     ClusterRoleBinding to it and one to the built-in ClusterRole admin,
//     which is what a page does inside its namespaces. RBAC cannot
//     grant a right only in namespaces that do not exist yet, nor by a
//     name prefix (docrun-), so these hold in every namespace. What a
//     page cannot do without --cluster-admin (which binds cluster-admin
//     instead): create, change or delete cluster-scoped objects
//     (CustomResourceDefinitions, ClusterRoles and their bindings,
//     PersistentVolumes, StorageClasses, PriorityClasses, webhooks,
//     APIServices), label, taint, cordon or drain nodes, approve
//     CertificateSigningRequests, or grant a role it does not hold.
//     The runner skips a step that would make or delete such objects
//     (it asks the API server first) and the steps that use them; the
//     other changes fail with Forbidden;
//   - the Job: completionMode Indexed, N completions, a pod per part, no
//     retry of a part (backoffLimitPerIndex 0: a page run twice is not
//     the same run). Each pod writes a kubeconfig for its ServiceAccount
//     (the server is the kubernetes Service, or the address given as
//     Spec.Server), runs docrun run --shard $((JOB_COMPLETION_INDEX+1))/N
//     --json over the whole list, and prints the result gzipped and
//     base64-encoded between the lines BeginMarker and EndMarker on its
//     stdout: the pod's log is where dispatch reads it (ReadResult), so no
//     shared disk or object holds results.
package dispatch
