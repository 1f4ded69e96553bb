// docrun serve: the page's one script. It sends the Run, "Run from here"
// and Reset forms without leaving the page, shows a running step's output
// as it comes (server-sent events), puts the server's rendering of a step
// in place when it ends, and reloads the page when its file changes.
// Without it the forms are plain posts and the page still works.
(() => {
  'use strict';
  const meta = document.querySelector('meta[name="docrun-events"]');
  if (!meta || !meta.content) return;

  const scrollKey = 'docrun-scroll:' + location.pathname + location.search;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    window.scrollTo(0, Number(saved));
  }

  const busy = (on) => {
    document.documentElement.classList.toggle('docrun-busy', on);
    for (const b of document.querySelectorAll('form.run button')) b.disabled = on;
  };
  const setSession = (text) => {
    const el = document.getElementById('docrun-session');
    if (el && text) el.textContent = text;
  };
  const section = (pos) => document.querySelector('section.step[data-pos="' + pos + '"]');

  // The forms: posted with fetch; the answer comes as events.
  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    const reset = form.classList.contains('reset');
    if (!reset && !form.classList.contains('run')) return;
    e.preventDefault();
    const data = new URLSearchParams(new FormData(form));
    if (e.submitter && e.submitter.name) data.set(e.submitter.name, e.submitter.value);
    if (!reset) busy(true);
    let r;
    try {
      r = await fetch(form.action, {method: 'POST', body: data, headers: {'X-Docrun': 'fetch'},
        credentials: 'same-origin'});
    } catch (err) {
      busy(false);
      setSession('the server cannot be reached: ' + err);
      return;
    }
    if (reset) {
      reload();
      return;
    }
    if (!r.ok) {
      busy(false);
      setSession((await r.text()).trim());
    }
  });

  const reload = () => {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  };

  // refresh replaces the step at pos, its expected output and the header
  // with the server's current rendering of the page.
  const refresh = async (pos) => {
    const r = await fetch(location.href, {credentials: 'same-origin'});
    if (!r.ok) return;
    const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
    const swap = (el, fresh) => { if (el && fresh) el.replaceWith(document.adoptNode(fresh)); };
    const old = section(pos);
    const fresh = doc.querySelector('section.step[data-pos="' + pos + '"]');
    if (old && fresh) {
      const exp = old.id + ':expected';
      swap(document.getElementById(exp), doc.getElementById(exp));
      swap(old, fresh);
    }
    swap(document.getElementById('docrun-header'), doc.getElementById('docrun-header'));
    if (document.documentElement.classList.contains('docrun-busy')) busy(true);
  };

  // A page loaded while its tab runs a step (a reload) waits for the end.
  if (document.querySelector('section.step.running')) busy(true);

  const events = new EventSource(meta.content);
  const on = (name, f) => events.addEventListener(name, (e) => f(JSON.parse(e.data)));
  events.addEventListener('error', () => {
    // EventSource retries by itself; it gives up when the server answers
    // with an error (it restarted and does not know this tab).
    if (events.readyState === EventSource.CLOSED) {
      busy(false);
      setSession('disconnected from docrun serve: reload the page');
    }
  });
  const live = {};

  on('start', (d) => {
    busy(true);
    const s = section(d.pos);
    if (!s) return;
    s.classList.add('running');
    for (const el of s.querySelectorAll('.out, .reason, .verdict-note, .ran, .bindings')) el.remove();
    const head = s.querySelector('.step-head .badge');
    if (head) {
      head.className = 'badge b-running';
      head.textContent = 'running';
    }
    const box = document.createElement('div');
    box.className = 'out live';
    const label = document.createElement('div');
    label.className = 'label';
    label.textContent = 'output';
    const pre = document.createElement('pre');
    box.append(label, pre);
    s.append(box);
    live[d.pos] = pre;
  });
  on('output', (d) => {
    const pre = live[d.pos];
    if (!pre) return;
    if (d.stream === 'stderr') {
      const span = document.createElement('span');
      span.className = 'stderr';
      span.textContent = d.text;
      pre.append(span);
    } else {
      pre.append(document.createTextNode(d.text));
    }
  });
  on('end', (d) => {
    delete live[d.pos];
    refresh(d.pos);
  });
  on('idle', (d) => {
    busy(false);
    setSession(d.text);
  });
  on('session', (d) => setSession(d.text));
  on('fail', (d) => setSession(d.text));
  on('reload', () => reload());
})();
