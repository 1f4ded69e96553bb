// Package session runs a page's shell steps in one long-lived GNU bash, so
// that state carries from step to step as if a reader typed them into one
// terminal: variables, exported environment, working directory, functions,
// aliases and shell options.
//
// Steps reach bash on a file descriptor of their own (fd 3); each is run
// with eval at the top level of the shell, with stdin from /dev/null. After
// each step bash writes a sentinel with the exit status on stdout and on
// stderr, so both streams are complete when a step ends. A step that runs
// too long has its processes killed and bash is sent SIGUSR1, whose trap
// abandons the rest of the step and returns to the loop; the shell and its
// state survive.
//
// # Every process a page starts ends with the page
//
// Close ends every process the session started, background jobs and
// processes that left the shell's process tree included (setsid, double
// forks, nohup, disown, env -i, a trap on SIGTERM): SIGTERM first, SIGKILL
// after a grace period. Three mechanisms make sure none is missed.
//
// docrun is the child subreaper (PR_SET_CHILD_SUBREAPER, set once for the
// process at the first Start): a process whose parent exits is re-parented
// to docrun instead of init, so nothing a page starts leaves docrun's
// process tree. docrun collects those orphans when they exit (by pid, and
// only those it can prove it did not start itself: os/exec waits for its
// own children, and a wait on -1 would take their exit statuses).
//
// Where cgroups are writable, each shell is put in a cgroup of its own
// before its first step (the shell forks nothing before it), created
// inside the cgroup docrun runs in: in the unified (v2) hierarchy when
// docrun's cgroup there is reachable, else in the v1 freezer hierarchy
// under docrun's freezer cgroup (v1 paths differ per hierarchy; each is
// read from /proc/self/cgroup and mapped through /proc/self/mountinfo).
// The shell stays in docrun's cgroup in every other hierarchy, so a page
// never leaves docrun's resource limits and accounting. No controller is
// enabled for the new cgroup, so v2's rule that a cgroup with controllers
// for its children holds no processes never applies to docrun's own cgroup
// (it holds docrun, so it has none; the root cgroup is exempt): docrun
// never needs to move itself. At Close the cgroup is killed as a unit the
// way systemd stops a scope: cgroup.kill (Linux 5.14), else freeze, SIGKILL
// every member, thaw; then the cgroup is removed. Every process is found,
// however it escaped, and sessions running side by side (run -j, serve
// tabs) each end only their own. Where no cgroup can be created (not
// mounted, not writable: an unprivileged user without a delegated
// subtree), the subreaper and the marks below are all there is.
//
// The marks find a session's processes without a cgroup: the shell's
// descendants, its process group (which setsid leaves), the EnvMarker
// variable in the environment (which env -i clears), the session's output
// pipes held open (which a redirection drops), and processes seen with one
// of these marks before. A process that drops all of them within the step
// that starts it is adopted by docrun but cannot be told from another
// page's; EndOrphans, at docrun's exit, ends it.
//
// On macOS (no /proc, cgroups or subreaper; proc_darwin.go and the
// *_other.go files) processes are listed with sysctl kern.proc.all and a
// session's are the shell's descendants, its process group and those seen
// with these before; Close ends them and the group. An orphan re-parents
// to launchd, which collects it.
//
// Close does not wait on the output pipes for longer than a second after
// the shell exited: a process that still held them would otherwise hold
// Close.
package session

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configure a session.
type Options struct {
	// Bash is the shell to run; default "bash" from PATH.
	Bash string
	// Dir is the working directory the shell starts in.
	Dir string
	// Env is the shell's initial environment; nil means os.Environ().
	Env []string

	// cgroups chooses the cgroup hierarchy (tests try each).
	cgroups cgroupMode
}

// Result is the outcome of one step.
type Result struct {
	// ExitCode is the step's exit status ($? after it), or the shell's
	// when it ended.
	ExitCode int
	Stdout   string
	Stderr   string
	Duration time.Duration
	// TimedOut is set when the step ran past its timeout and was stopped.
	TimedOut bool
	// Canceled is set when the context ended the step.
	Canceled bool
	// Ended is set when the shell itself exited during the step (exit,
	// set -e, or it could not be stopped): later steps cannot run in it.
	Ended bool
}

// Output receives a step's output as it is produced. Nil writers are fine.
type Output struct {
	Stdout io.Writer
	Stderr io.Writer
}

// EnvMarker is the environment variable every process of a session
// inherits; its value identifies the session, so Close finds processes
// that left the shell's process tree.
const EnvMarker = "DOCRUN_SESSION"

// Session is a running bash.
type Session struct {
	cmd   *exec.Cmd
	steps *os.File // write end of the shell's fd 3
	token string
	id    string

	out, errs   *stream
	outR, errR  *os.File  // read ends of the shell's stdout and stderr
	pipes       [3]uint64 // inodes of those and of fd 3, to find processes holding them
	cg          *cgroup   // the shell's own cgroup; nil without one
	cgroupError error     // why there is none, when one was wanted

	// adopted holds processes found to be the session's that docrun did
	// not start itself; guarded by reaper.mu.
	adopted map[procKey]bool

	mu      sync.Mutex    // serialises Run and Close
	exited  chan struct{} // closed when bash has exited and been waited for
	done    chan struct{} // closed when, besides, its output has been read
	waitErr error
	closed  bool
}

// drainDelay is how long the output pipes are read after the shell
// exited: a process that left the shell with them open cannot hold the
// session (or Close) longer than that.
const drainDelay = time.Second

// driver is the shell's main loop. It reads NUL-terminated steps from fd
// 3 and evals each at the top level, so declarations stay global. SIGUSR1
// breaks out of every loop, abandoning the running step; the loop is then
// re-entered by a nested eval (no enclosing loop survives the break).
const driver = `
shopt -s expand_aliases
__docrun_t=$1; shift
__docrun_a=0; __docrun_eof=0
trap '__docrun_a=1; break 10000' USR1
__docrun_d='while IFS= read -r -d "" __docrun_c <&3 || { __docrun_eof=1; false; }; do
  eval "$__docrun_c" 3<&- </dev/null
  __docrun_s=$?
  printf "%s" "$__docrun_t"; jobs -p; printf "%s%d\n" "$__docrun_t" "$__docrun_s"
  printf "%s\n" "$__docrun_t" >&2
done
if [ "$__docrun_a" = 1 ]; then
  __docrun_a=0
  printf "%s" "$__docrun_t"; jobs -p; printf "%s%d\n" "$__docrun_t" 124
  printf "%s\n" "$__docrun_t" >&2
fi
[ "$__docrun_eof" = 0 ] && eval "$__docrun_d"'
eval "$__docrun_d"
`

// Start starts a session.
func Start(opts Options) (*Session, error) {
	bash := opts.Bash
	if bash == "" {
		bash = "bash"
	}
	path, err := exec.LookPath(bash)
	if err != nil {
		return nil, fmt.Errorf("GNU bash is needed to run shell steps: %w", err)
	}
	var raw [12]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	id := hex.EncodeToString(raw[:])
	token := "\x1fDOCRUN:" + id + ":"
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	env = append(withoutVar(env, EnvMarker), EnvMarker+"="+id)

	var files []*os.File // closed on failure
	pipe := func() (r, w *os.File) {
		if err != nil {
			return nil, nil
		}
		r, w, err = os.Pipe()
		files = append(files, r, w)
		return r, w
	}
	r, w := pipe()
	outR, outW := pipe()
	errR, errW := pipe()
	if err != nil {
		closeAll(files)
		return nil, err
	}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		closeAll(files)
		return nil, err
	}
	defer devnull.Close()
	// The shell's ends are the shell's only.
	defer closeAll([]*os.File{r, outW, errW})

	cmd := exec.Command(path, "--norc", "--noprofile", "-c", driver, "docrun", token)
	cmd.Dir = opts.Dir
	cmd.Env = env
	cmd.Stdin = devnull
	// Files, not writers: os/exec hands them to bash and Wait does not wait
	// for whoever else holds them.
	cmd.Stdout, cmd.Stderr = outW, errW
	cmd.ExtraFiles = []*os.File{r}
	// Its own process group: a Ctrl-C at the terminal reaches docrun, which
	// then ends the session in order.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	enableSubreaper()
	if err := cmd.Start(); err != nil {
		closeAll([]*os.File{w, outR, errR})
		return nil, fmt.Errorf("start bash: %w", err)
	}
	s := &Session{cmd: cmd, steps: w, token: token, id: id, outR: outR, errR: errR,
		pipes: [3]uint64{inode(outR), inode(errR), inode(w)}, adopted: map[procKey]bool{},
		exited: make(chan struct{}), done: make(chan struct{})}
	// Before the first step: until then bash has not forked.
	s.cg, s.cgroupError = newCgroup(opts.cgroups, "docrun-"+id, cmd.Process.Pid)
	register(s)
	s.out = newStream(outR, []byte(token), true)
	s.errs = newStream(errR, []byte(token), false)
	go s.wait()
	return s, nil
}

// wait waits for bash, then for its output to be read, at most drainDelay.
func (s *Session) wait() {
	s.waitErr = s.cmd.Wait()
	close(s.exited)
	read := make(chan struct{})
	go func() {
		s.out.wg.Wait()
		s.errs.wg.Wait()
		close(read)
	}()
	timer := time.NewTimer(drainDelay)
	defer timer.Stop()
	select {
	case <-read:
	case <-timer.C:
	}
	// Unblocks the readers if another process still holds the pipes.
	closeAll([]*os.File{s.outR, s.errR})
	<-read
	close(s.done)
}

func closeAll(files []*os.File) {
	for _, f := range files {
		if f != nil {
			_ = f.Close()
		}
	}
}

func withoutVar(env []string, name string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// ID is the session's identity, the value of EnvMarker in its processes.
func (s *Session) ID() string { return s.id }

// Pid is the shell's process id.
func (s *Session) Pid() int { return s.cmd.Process.Pid }

// ErrEnded is returned by Run when the shell is no longer running.
var ErrEnded = errors.New("the shell session has ended")

// Run runs one step's code and waits for it, at most timeout (0: no limit)
// and until ctx ends. Output is captured and also copied to live.
func (s *Session) Run(ctx context.Context, code string, timeout time.Duration, live Output) (Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return Result{}, ErrEnded
	}
	select {
	case <-s.done:
		return Result{}, ErrEnded
	default:
	}
	code = strings.ReplaceAll(code, "\x00", "")
	var stdout, stderr bytes.Buffer
	s.out.begin(&stdout, live.Stdout)
	s.errs.begin(&stderr, live.Stderr)
	defer s.out.end()
	defer s.errs.end()

	start := time.Now()
	if _, err := io.WriteString(s.steps, code+"\n\x00"); err != nil {
		return Result{}, ErrEnded
	}
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	res := Result{}
	finished := func() (int, bool) {
		// Both streams must have reached their sentinel.
		select {
		case <-s.errs.mark:
		case <-s.done:
			return 0, false
		}
		select {
		case code := <-s.out.status:
			return code, true
		case <-s.done:
			return 0, false
		}
	}
	wait := make(chan struct{})
	var status int
	var ok bool
	go func() {
		status, ok = finished()
		close(wait)
	}()
	select {
	case <-wait:
	case <-timer:
		res.TimedOut = true
		s.interrupt(start)
	case <-ctx.Done():
		res.Canceled = true
		s.interrupt(start)
	}
	if res.TimedOut || res.Canceled {
		select {
		case <-wait:
		case <-time.After(3 * time.Second):
			// The step ignores the interrupt: end the whole shell.
			s.killAll()
			<-wait
		}
	}
	res.Duration = time.Since(start)
	if ok {
		res.ExitCode = status
	} else {
		res.Ended = true
		<-s.done
		res.ExitCode = exitCode(s.waitErr)
	}
	if res.TimedOut && res.ExitCode == 0 {
		res.ExitCode = 124
	}
	// The streams are quiet now: what they still deliver belongs to later
	// steps or to background jobs.
	s.out.end()
	s.errs.end()
	res.Stdout, res.Stderr = stdout.String(), stderr.String()
	return res, nil
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// interrupt stops the running step: SIGUSR1 to the shell (its trap runs as
// soon as the shell is not waiting for a child), then SIGKILL to every
// process the step started, so the shell stops waiting. Background jobs of
// earlier steps live on. The cgroup, where there is one, is frozen
// meanwhile, so no process forks between the scan and the signals;
// without it the scan is repeated until it finds nothing new.
func (s *Session) interrupt(stepStart time.Time) {
	_ = s.cmd.Process.Signal(syscall.SIGUSR1)
	since := int64(time.Since(stepStart) * clockTicks / time.Second)
	first := nowTicks() - since - startSlack
	s.out.mu.Lock()
	jobs := append([]int(nil), s.out.jobs...)
	s.out.mu.Unlock()
	frozen := s.cg != nil && s.cg.freeze(true)
	killed := map[procKey]bool{}
	for i := 0; i < 10; i++ {
		procs := s.processes()
		keep := descendants(procs, jobs)
		n := len(killed)
		for _, p := range procs {
			if p.pid != s.cmd.Process.Pid && p.start >= first && !keep[p.pid] && !killed[p.key()] {
				_ = syscall.Kill(p.pid, syscall.SIGKILL)
				killed[p.key()] = true
			}
		}
		if frozen || len(killed) == n {
			break
		}
	}
	if frozen {
		s.cg.freeze(false)
	}
}

// descendants returns roots and all their descendants among procs.
func descendants(procs []proc, roots []int) map[int]bool {
	set := map[int]bool{}
	for _, r := range roots {
		set[r] = true
	}
	for changed := true; changed; {
		changed = false
		for _, p := range procs {
			if set[p.ppid] && !set[p.pid] {
				set[p.pid] = true
				changed = true
			}
		}
	}
	return set
}

// startSlack absorbs the coarse resolution of process start times (one
// clock tick, 10 ms): a process that started this many ticks before the
// step is still counted as the step's.
const startSlack = 2

// Close ends the shell and every process the session started, background
// jobs and processes that left the shell's process tree included: SIGTERM
// first, SIGKILL to what is left after grace. It removes the session's
// cgroup.
func (s *Session) Close() error {
	return s.CloseGrace(2 * time.Second)
}

// CloseGrace is Close with a chosen time between SIGTERM and SIGKILL.
func (s *Session) CloseGrace(grace time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	defer unregister(s)
	// Found before the shell sees its input end and exits: while the tree
	// is whole, what is below it is known not to be docrun's own child.
	procs := s.processes()
	s.steps.Close()
	for _, p := range procs {
		_ = syscall.Kill(p.pid, syscall.SIGTERM)
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	deadline := time.Now().Add(grace)
	for time.Now().Before(deadline) && len(s.processes()) > 0 {
		time.Sleep(20 * time.Millisecond)
	}
	// Repeated: a process can fork between a scan and its signal (the
	// cgroup's kill leaves no such window, the marks do).
	for i := 0; i < 50; i++ {
		s.killAll()
		if len(s.processes()) == 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	var err error
	select {
	case <-s.exited:
		<-s.done // drainDelay at most
	case <-time.After(5 * time.Second):
		err = fmt.Errorf("bash (pid %d) did not exit", s.cmd.Process.Pid)
	}
	reapAdopted()
	if left := s.processes(); len(left) > 0 && err == nil {
		err = fmt.Errorf("%d processes of the session could not be ended", len(left))
	}
	if s.cg != nil {
		if rerr := s.cg.remove(); rerr != nil && err == nil {
			err = rerr
		}
	}
	return err
}

func (s *Session) killAll() {
	if s.cg != nil {
		s.cg.kill()
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	for _, p := range s.processes() {
		_ = syscall.Kill(p.pid, syscall.SIGKILL)
	}
	_ = s.cmd.Process.Kill()
}

// Processes returns the ids of the session's live processes: the shell,
// its descendants, and those that left its tree (see the package doc).
func (s *Session) Processes() []int {
	var out []int
	for _, p := range s.processes() {
		out = append(out, p.pid)
	}
	return out
}

func (s *Session) processes() []proc {
	return s.members(scan())
}

// stream reads one of the shell's output pipes, hands bytes to the
// current step and finds the step's sentinel.
type stream struct {
	token     []byte
	hasStatus bool
	wg        sync.WaitGroup

	mu    sync.Mutex
	buf   *bytes.Buffer
	live  io.Writer
	carry []byte // bytes held back: they may start a sentinel
	late  bytes.Buffer

	mark   chan struct{} // a sentinel was seen (stderr)
	status chan int      // a sentinel with its status was seen (stdout)
	jobs   []int         // the shell's background jobs, from the last stdout sentinel
}

func newStream(r io.Reader, token []byte, hasStatus bool) *stream {
	st := &stream{token: token, hasStatus: hasStatus, mark: make(chan struct{}, 1), status: make(chan int, 1)}
	st.wg.Add(1)
	go st.read(r)
	return st
}

func (st *stream) begin(buf *bytes.Buffer, live io.Writer) {
	st.mu.Lock()
	st.buf, st.live = buf, live
	st.mu.Unlock()
}

func (st *stream) end() {
	st.mu.Lock()
	st.buf, st.live = nil, nil
	st.mu.Unlock()
}

func (st *stream) write(p []byte) {
	if len(p) == 0 {
		return
	}
	if st.buf == nil {
		// Output between steps (a background job): keep a bounded tail.
		if st.late.Len() < 1<<20 {
			st.late.Write(p)
		}
		return
	}
	st.buf.Write(p)
	if st.live != nil {
		_, _ = st.live.Write(p)
	}
}

func (st *stream) read(r io.Reader) {
	defer st.wg.Done()
	chunk := make([]byte, 32<<10)
	for {
		n, err := r.Read(chunk)
		if n > 0 {
			st.feed(chunk[:n])
		}
		if err != nil {
			st.mu.Lock()
			st.write(st.carry)
			st.carry = nil
			st.mu.Unlock()
			return
		}
	}
}

// feed processes newly read bytes: output goes to the step, sentinels end
// it.
func (st *stream) feed(p []byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	data := append(st.carry, p...)
	st.carry = nil
	for {
		i := bytes.Index(data, st.token)
		if i < 0 {
			break
		}
		rest := data[i+len(st.token):]
		end := bytes.IndexByte(rest, '\n')
		var jobs []byte
		if st.hasStatus {
			// token JOBS token STATUS \n
			j := bytes.Index(rest, st.token)
			end = -1
			if j >= 0 {
				jobs = rest[:j]
				rest = rest[j+len(st.token):]
				end = bytes.IndexByte(rest, '\n')
			}
		}
		if end < 0 {
			// The sentinel has not fully arrived yet.
			st.write(data[:i])
			st.carry = append([]byte(nil), data[i:]...)
			return
		}
		st.write(data[:i])
		nl := end
		if st.hasStatus {
			code, _ := strconv.Atoi(string(rest[:nl]))
			st.jobs = st.jobs[:0]
			for _, f := range strings.Fields(string(jobs)) {
				if pid, err := strconv.Atoi(f); err == nil {
					st.jobs = append(st.jobs, pid)
				}
			}
			st.status <- code
		} else {
			st.mark <- struct{}{}
		}
		data = rest[nl+1:]
	}
	// Hold back a tail that could be the start of a sentinel.
	keep := 0
	for k := min(len(st.token)-1, len(data)); k > 0; k-- {
		if bytes.HasPrefix(st.token, data[len(data)-k:]) {
			keep = k
			break
		}
	}
	st.write(data[:len(data)-keep])
	if keep > 0 {
		st.carry = append([]byte(nil), data[len(data)-keep:]...)
	}
}

// State returns the shell's exported environment and working directory at
// this point of the page, for steps that run outside the shell (Go and
// client programs) but must see what the reader's terminal would.
func (s *Session) State(ctx context.Context) (env []string, dir string, err error) {
	r, err := s.Run(ctx, `builtin printf '%s\0' "$PWD"; command env -0`, 30*time.Second, Output{})
	if err != nil {
		return nil, "", err
	}
	if r.ExitCode != 0 || r.Ended {
		return nil, "", fmt.Errorf("reading the shell's environment: exit %d: %s", r.ExitCode, strings.TrimSpace(r.Stderr))
	}
	parts := strings.Split(strings.TrimSuffix(r.Stdout, "\x00"), "\x00")
	if len(parts) == 0 {
		return nil, "", fmt.Errorf("reading the shell's environment: no output")
	}
	dir = parts[0]
	for _, kv := range parts[1:] {
		if strings.Contains(kv, "=") && !strings.HasPrefix(kv, "_=") {
			env = append(env, kv)
		}
	}
	return env, dir, nil
}
