/* natsboot console: plain ES2020, no framework, no build step. */
(function () {
  'use strict';

  // ---------------------------------------------------------------- configuration

  const BASE = (function () {
    const meta = document.querySelector('meta[name="natsboot-console-path"]');
    let p = meta ? (meta.getAttribute('content') || '') : '';
    if (!p || p.indexOf('__CONSOLE_PATH__') >= 0) {
      // not replaced by the server (should not happen): derive it from the page address
      p = location.pathname.replace(/\/index\.html$/, '');
    }
    return p.replace(/\/+$/, '');
  })();

  const REQUEST_TIMEOUT_MS = 15000;
  const CONFIRM_MS = 8000;
  const FLASH_MS = 15000;
  const SESSION_RETRY_MS = 5000;
  const TASK_STATES = ['PENDING', 'SCHEDULED', 'RUNNING', 'RETRYING', 'SUCCEEDED', 'DEAD', 'CANCELLED'];

  const session = {
    loaded: false, application: '', instance: '', actionsEnabled: false, showValues: false,
    csrf: null, securityCsrf: null, refreshSeconds: 5, user: null
  };

  // Last-resort safety net: never let an unexpected error reach the console as an error.
  window.addEventListener('error', function (e) {
    if (e && e.error) { e.preventDefault(); warn('unexpected error', e.error); }
  });
  window.addEventListener('unhandledrejection', function (e) {
    e.preventDefault();
    warn('unexpected rejection', e.reason);
  });

  function warn(what, err) {
    try { console.warn('natsboot console: ' + what, err); } catch (ignored) { /* no console */ }
  }

  // ---------------------------------------------------------------- DOM helpers (text only, never innerHTML)

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = String(v);
        else if (k.slice(0, 2) === 'on' && typeof v === 'function') e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (let i = 2; i < arguments.length; i++) append(e, arguments[i]);
    return e;
  }

  function append(parent, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { for (const x of c) append(parent, x); return; }
    if (c instanceof Node) { parent.appendChild(c); return; }
    parent.appendChild(document.createTextNode(String(c)));
  }

  function setChildren(parent) {
    parent.textContent = '';
    for (let i = 1; i < arguments.length; i++) append(parent, arguments[i]);
  }

  function sig(v) {
    try { return JSON.stringify(v === undefined ? null : v); } catch (e) { return String(Math.random()); }
  }

  /** Re-renders a box only when its input changed, so elements stay stable between refreshes. */
  function renderBox(box, input, build) {
    const s = sig(input);
    if (box._sig === s) return;
    box._sig = s;
    const content = build();
    setChildren(box, content);
  }

  function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function unavailable(v) { return isObj(v) && v.available === false; }
  function arr(v) { return Array.isArray(v) ? v : []; }
  function str(v) { return v === null || v === undefined ? '' : String(v); }

  function note(text, cls) { return el('p', { class: 'note ' + (cls || '') }, text); }
  function unavailableNote(v) {
    return note('unavailable: ' + (v && v.reason ? String(v.reason) : 'no reason given'), 'unavailable');
  }
  function loadingNote() { return note('Loading…', 'loading'); }

  // ---------------------------------------------------------------- formatting

  const NF = new Intl.NumberFormat('en-US');
  const NF1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  const NF2 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function num(v) { return isNum(v) ? NF.format(v) : (v === null || v === undefined ? '—' : String(v)); }
  function num1(v) { return isNum(v) ? NF1.format(v) : '—'; }
  function num2(v) { return isNum(v) ? NF2.format(v) : '—'; }
  function bytes(v) {
    if (!isNum(v)) return '—';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let x = v; let u = 0;
    while (Math.abs(x) >= 1024 && u < units.length - 1) { x /= 1024; u++; }
    return (u === 0 ? NF.format(x) : NF1.format(x)) + ' ' + units[u];
  }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function hms(ms) { const d = new Date(ms); return isNaN(d.getTime()) ? '' : pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }
  function dateTime(d) {
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + hms(d.getTime());
  }
  function relTime(ms) {
    const diff = Date.now() - ms;
    const a = Math.abs(diff);
    const future = diff < 0;
    let t;
    if (a < 5000) return future ? 'in a moment' : 'just now';
    if (a < 60000) t = Math.round(a / 1000) + 's';
    else if (a < 3600000) t = Math.round(a / 60000) + ' min';
    else if (a < 86400000) t = Math.round(a / 3600000) + ' h';
    else return dateTime(new Date(ms));
    return future ? 'in ' + t : t + ' ago';
  }
  function timeEl(iso) {
    if (iso === null || iso === undefined || iso === '') return el('span', { class: 'muted' }, '—');
    const d = new Date(iso);
    if (isNaN(d.getTime())) return el('span', null, String(iso));
    return el('time', { datetime: String(iso), title: dateTime(d) + ' (' + String(iso) + ')', 'data-ts': d.getTime() },
      relTime(d.getTime()));
  }
  function updateRelTimes() {
    const nodes = document.querySelectorAll('time[data-ts]');
    for (const n of nodes) {
      const ms = Number(n.getAttribute('data-ts'));
      if (isFinite(ms)) { const t = relTime(ms); if (n.textContent !== t) n.textContent = t; }
    }
  }
  function truncate(s, n) { s = str(s); return s.length > n ? s.slice(0, n - 1) + '…' : s; }
  function shortDetails(d, n) {
    if (d === null || d === undefined) return '';
    if (!isObj(d)) return truncate(typeof d === 'string' ? d : sig(d), n || 140);
    const parts = Object.keys(d).map(function (k) {
      const v = d[k];
      return k + ': ' + (v !== null && typeof v === 'object' ? sig(v) : str(v));
    });
    return truncate(parts.join(', '), n || 140);
  }
  function pretty(v) {
    try { const s = JSON.stringify(v, null, 2); return s === undefined ? String(v) : s; } catch (e) { return String(v); }
  }
  function simpleClass(c) { c = str(c); const i = c.lastIndexOf('.'); return i >= 0 ? c.slice(i + 1) : c; }
  function mono(text, cls) { return el('span', { class: 'mono ' + (cls || ''), title: str(text) }, str(text) || '—'); }

  // ---------------------------------------------------------------- badges, progress, cards

  const TONES = {
    CONNECTED: 'ok', UP: 'ok', CONSUMING: 'ok', SUCCEEDED: 'ok',
    RUNNING: 'info', SCHEDULED: 'info', PENDING: 'neutral', RETRYING: 'warn',
    DEAD: 'bad', DOWN: 'bad', FAILED: 'bad', ERROR: 'bad', CLOSED: 'bad', DISCONNECTED: 'bad',
    RECONNECTING: 'warn', STOPPED_BY_TIMEOUT: 'warn', STARTING: 'info', STOPPING: 'warn',
    STOPPED: 'neutral', CANCELLED: 'neutral', OUT_OF_SERVICE: 'neutral', UNKNOWN: 'neutral', GONE: 'neutral'
  };
  function badge(text, tone, attrs) {
    const a = Object.assign({}, attrs || {});
    a.class = 'badge badge-' + (tone || 'neutral') + (a.class ? ' ' + a.class : '');
    return el('span', a, str(text));
  }
  function stateBadge(state, attrs, toneOverride) {
    const s = str(state) || 'UNKNOWN';
    return badge(s, toneOverride || TONES[s.toUpperCase()] || 'neutral', attrs);
  }
  function progressBar(p, noteText) {
    if (!isNum(p)) return el('span', { class: 'muted' }, noteText ? str(noteText) : '—');
    const v = Math.max(0, Math.min(100, p));
    return el('div', { class: 'progress-wrap', title: noteText ? str(noteText) : null },
      el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': v },
        el('div', { class: 'progress-bar' + (v >= 100 ? ' done' : ''), style: 'width:' + v + '%' })),
      el('span', { class: 'progress-label' }, Math.round(v) + '%' + (noteText ? ' · ' + str(noteText) : '')));
  }
  function card(label, value, sub, tone) {
    return el('div', { class: 'card stat' + (tone ? ' stat-' + tone : '') },
      el('div', { class: 'stat-label' }, label),
      el('div', { class: 'stat-value' }, value),
      sub ? el('div', { class: 'stat-sub' }, sub) : null);
  }
  function kv(rows) {
    return el('dl', { class: 'kv' }, rows.filter(Boolean).map(function (r) {
      return [el('dt', null, r[0]), el('dd', null, r[1] === null || r[1] === undefined || r[1] === '' ? '—' : r[1])];
    }));
  }
  function sectionEl(title, extra) {
    return el('section', { class: 'section' }, el('div', { class: 'section-head' }, el('h2', null, title), extra || null));
  }

  // ---------------------------------------------------------------- keyed tables (rows are reused when unchanged)

  function keyedTable(id, columns) {
    const tbody = el('tbody');
    const table = el('table', { id: id, class: 'table' },
      el('thead', null, el('tr', null, columns.map(function (c) {
        return el('th', { class: (c.num ? 'num ' : '') + (c.cls || ''), title: c.title || null }, c.label);
      }))),
      tbody);
    const rows = new Map();
    let emptyRow = null;
    return {
      table: table,
      update: function (items, keyFn, rowFn, emptyText) {
        const seen = new Set();
        const ordered = [];
        for (const item of items) {
          let key = str(keyFn(item));
          if (seen.has(key)) key = key + '\u0000' + seen.size;
          seen.add(key);
          const s = sig(item);
          let r = rows.get(key);
          if (!r || r.sig !== s) { r = { tr: rowFn(item), sig: s }; rows.set(key, r); }
          ordered.push(r.tr);
        }
        for (const k of Array.from(rows.keys())) if (!seen.has(k)) rows.delete(k);
        if (!ordered.length) {
          if (!emptyRow) emptyRow = el('tr', { class: 'empty-row' }, el('td', { colspan: columns.length }, ''));
          emptyRow.firstChild.textContent = emptyText || 'Nothing here.';
          ordered.push(emptyRow);
        }
        let i = 0;
        for (const tr of ordered) {
          const at = tbody.children[i];
          if (at !== tr) tbody.insertBefore(tr, at || null);
          i++;
        }
        while (tbody.children.length > ordered.length) tbody.removeChild(tbody.lastElementChild);
      }
    };
  }
  function placeTable(box, kt) {
    if (kt.table.parentNode !== box) { setChildren(box, kt.table); }
    box._sig = '\u0000table';
  }
  function td(content, cls, attrs) {
    const a = Object.assign({}, attrs || {});
    if (cls) a.class = cls;
    return el('td', a, content === null || content === undefined || content === '' ? el('span', { class: 'muted' }, '—') : content);
  }
  function tdNum(v, formatter, extraCls) {
    const text = (formatter || num)(v);
    return el('td', { class: 'num' + (isNum(v) && v === 0 ? ' zero' : '') + (extraCls ? ' ' + extraCls : '') }, text);
  }
  function taskLink(id) {
    return el('a', { class: 'mono task-link', href: '#/tasks/' + encodeURIComponent(str(id)), title: str(id) }, str(id));
  }
  function exceptionCell(cls, msg) {
    return el('div', { class: 'exception' },
      cls ? el('span', { class: 'exception-class mono', title: str(cls) }, simpleClass(cls)) : null,
      msg ? el('span', { class: 'exception-message', title: str(msg) }, truncate(msg, 300)) : null);
  }
  function payloadCell(preview, size) {
    return el('div', { class: 'payload' },
      el('code', { class: 'payload-preview', title: str(preview) }, truncate(preview, 160)),
      isNum(size) ? el('span', { class: 'payload-size muted' }, bytes(size)) : null);
  }

  // ---------------------------------------------------------------- API

  class ApiError extends Error {
    constructor(kind, message, status, body) {
      super(message);
      this.kind = kind; // 'nats' | 'down' | 'error' | 'aborted'
      this.status = status || 0;
      this.body = body;
    }
  }

  function api(path, opts) {
    opts = opts || {};
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(function () { timedOut = true; ctrl.abort(); }, REQUEST_TIMEOUT_MS);
    const outer = opts.signal;
    const onAbort = function () { ctrl.abort(); };
    if (outer) { if (outer.aborted) ctrl.abort(); else outer.addEventListener('abort', onAbort); }
    const method = opts.method || 'GET';
    const headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      // the console's own token, and Spring Security's when the application has it
      [session.csrf, session.securityCsrf].forEach(function (t) {
        if (t && t.header) headers[String(t.header)] = str(t.token);
      });
    }
    let p;
    try {
      p = fetch(BASE + '/' + path, {
        method: method, headers: headers, credentials: 'same-origin', cache: 'no-store', signal: ctrl.signal
      });
    } catch (e) {
      p = Promise.reject(e);
    }
    return p.then(function (res) {
      return res.text().then(function (text) {
        let body = null; let json = false;
        if (text) { try { body = JSON.parse(text); json = true; } catch (e) { json = false; } }
        if (res.ok) {
          if (text && !json) throw new ApiError('error', 'unexpected answer (not JSON, HTTP ' + res.status + ')', res.status);
          return body;
        }
        if (json && isObj(body) && body.available === false) {
          throw new ApiError('nats', str(body.reason) || 'no reason given', res.status, body);
        }
        if (json && isObj(body) && body.error !== undefined && body.error !== null) {
          throw new ApiError('error', str(body.error), res.status, body);
        }
        if (!json && (res.status === 502 || res.status === 503 || res.status === 504)) {
          throw new ApiError('down', 'HTTP ' + res.status, res.status);
        }
        throw new ApiError('error', 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : ''), res.status, body);
      });
    }).catch(function (err) {
      if (err instanceof ApiError) throw err;
      if (outer && outer.aborted) throw new ApiError('aborted', 'aborted');
      if (timedOut) throw new ApiError('down', 'no answer within ' + (REQUEST_TIMEOUT_MS / 1000) + 's');
      throw new ApiError('down', err && err.message ? String(err.message) : 'network error');
    }).finally(function () {
      clearTimeout(timer);
      if (outer) outer.removeEventListener('abort', onAbort);
    });
  }

  function outageText(err) {
    if (!err) return '';
    if (err.kind === 'nats') return 'NATS is unavailable: ' + err.message;
    if (err.kind === 'down') return 'The application does not answer';
    return 'The application answered with an error: ' + err.message;
  }
  function errText(err) {
    if (!err) return 'unknown error';
    if (err.kind === 'nats') return 'NATS is unavailable: ' + err.message;
    if (err.kind === 'down') return 'the application does not answer';
    return err.message || 'unknown error';
  }

  function setOutage(err) {
    const o = $('outage');
    if (!o) return;
    if (!err) {
      if (!o.hidden) { o.hidden = true; o.textContent = ''; }
      return;
    }
    const t = outageText(err);
    if (o.textContent !== t) o.textContent = t;
    o.className = 'outage outage-' + err.kind;
    o.hidden = false;
  }

  let flashTimer = null;
  function flash(text, tone) {
    const f = $('flash');
    if (!f) return;
    f.textContent = str(text);
    f.className = 'flash flash-' + (tone || 'ok');
    f.hidden = false;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () { f.hidden = true; }, FLASH_MS);
  }

  // ---------------------------------------------------------------- actions

  const armed = new Map();
  function isArmed(key) {
    const t = armed.get(key);
    if (t && t > Date.now()) return true;
    armed.delete(key);
    return false;
  }

  function actionButton(opts) {
    // opts: {cls, id, label, title, run(btn)}
    const b = el('button', { type: 'button', class: 'btn ' + (opts.style || '') + ' ' + (opts.cls || ''), id: opts.id || null, title: opts.title || null }, opts.label);
    b.addEventListener('click', function () { if (!b.disabled) opts.run(b); });
    return b;
  }

  /** Two-click confirmation on the same button: "Delete" -> "Confirm delete" -> action. */
  function confirmButton(opts) {
    // opts: {cls, id, key, label, confirmLabel, run(btn)}
    const b = el('button', { type: 'button', class: 'btn btn-danger ' + (opts.cls || ''), id: opts.id || null });
    let timer = null;
    const paint = function () {
      const a = isArmed(opts.key);
      const t = a ? opts.confirmLabel : opts.label;
      if (b.textContent !== t) b.textContent = t;
      b.classList.toggle('armed', a);
      if (a) b.setAttribute('data-armed', 'true'); else b.removeAttribute('data-armed');
    };
    paint();
    if (isArmed(opts.key)) timer = setTimeout(paint, armed.get(opts.key) - Date.now() + 20);
    b.addEventListener('click', function () {
      if (b.disabled) return;
      clearTimeout(timer);
      if (isArmed(opts.key)) {
        armed.delete(opts.key);
        paint();
        opts.run(b);
      } else {
        armed.set(opts.key, Date.now() + CONFIRM_MS);
        paint();
        timer = setTimeout(paint, CONFIRM_MS + 20);
      }
    });
    return b;
  }

  function post(path, btn, label, describe) {
    if (btn) { btn.disabled = true; btn.classList.add('busy'); }
    api(path, { method: 'POST' }).then(function (data) {
      let msg;
      try { msg = describe(data || {}); } catch (e) { msg = label + ': done'; }
      flash(msg, 'ok');
    }, function (err) {
      flash(label + ' failed: ' + errText(err), 'error');
      if (err.status === 403 || err.status === 401) refreshSession();
    }).then(function () {
      if (btn) { btn.disabled = false; btn.classList.remove('busy'); }
      if (current) refresh(current);
    }).catch(function (e) { warn('action', e); });
  }

  function requeueButton(letter) {
    const id = str(letter.id);
    return actionButton({
      cls: 'action-requeue', label: 'Re-queue', title: 'Enqueue task ' + id + ' again',
      run: function (b) {
        post('api/tasks/dead/' + encodeURIComponent(id) + '/requeue', b, 'Re-queue of ' + id, function (r) {
          return 'Re-queued task ' + str(r.id || id) + (isNum(r.sequence) ? ' as stream sequence ' + r.sequence : '') +
            (r.duplicate ? ' (duplicate: it was already queued)' : '');
        });
      }
    });
  }
  function deleteButton(letter) {
    const id = str(letter.id);
    return confirmButton({
      cls: 'action-delete', key: 'delete:' + id + ':' + str(letter.sequence), label: 'Delete', confirmLabel: 'Confirm delete',
      run: function (b) {
        post('api/tasks/dead/' + encodeURIComponent(id) + '/delete', b, 'Delete of ' + id, function () {
          return 'Deleted dead letter ' + id;
        });
      }
    });
  }

  // ---------------------------------------------------------------- session

  function applySession(s) {
    s = isObj(s) ? s : {};
    session.loaded = true;
    session.application = str(s.application);
    session.instance = str(s.instance);
    session.actionsEnabled = s.actionsEnabled === true;
    session.showValues = s.showValues === true;
    session.csrf = isObj(s.csrf) && s.csrf.header ? { header: str(s.csrf.header), token: str(s.csrf.token) } : null;
    session.securityCsrf = isObj(s.securityCsrf) && s.securityCsrf.header
      ? { header: str(s.securityCsrf.header), token: str(s.securityCsrf.token) } : null;
    session.refreshSeconds = isNum(s.refreshSeconds) && s.refreshSeconds > 0 ? s.refreshSeconds : 5;
    session.user = s.user === null || s.user === undefined ? null : str(s.user);
    $('app-name').textContent = session.application;
    $('app-instance').textContent = session.instance;
    $('app-instance').title = 'this instance: ' + session.instance;
    const u = $('user');
    if (session.user) { u.textContent = session.user; u.hidden = false; } else { u.hidden = true; }
    document.title = (session.application ? session.application + ' · ' : '') + 'natsboot console';
    // a view the application lacks (no task queue, no key store) has no tab
    if (Array.isArray(s.views)) {
      ['overview', 'tasks', 'listeners', 'streams', 'keystore', 'instances'].forEach(function (name) {
        const link = $('nav-' + name);
        if (link) link.hidden = s.views.indexOf(name) < 0;
      });
    }
  }

  let started = false;
  function loadSession() {
    api('api/session').then(function (s) {
      applySession(s);
      if (!started) {
        started = true;
        setOutage(null);
        window.addEventListener('hashchange', navigate);
        navigate();
      }
    }, function (err) {
      setOutage(err);
      const main = $('main');
      setChildren(main, el('h1', null, 'natsboot console'),
        note('Cannot load the console session (' + errText(err) + '). Retrying…', 'unavailable'));
      setTimeout(loadSession, SESSION_RETRY_MS);
    }).catch(function (e) { warn('session', e); });
  }
  function refreshSession() {
    api('api/session').then(applySession, function () { /* keep the old one */ }).catch(function (e) { warn('session', e); });
  }

  // ---------------------------------------------------------------- router and refresh loop

  let current = null;
  let loadCounter = 0;

  function parseRoute() {
    const h = (location.hash || '').replace(/^#\/?/, '');
    const parts = h.split('/');
    const first = parts[0] || 'overview';
    if (first === 'tasks' && parts.length > 1 && parts.slice(1).join('/') !== '') {
      let id = parts.slice(1).join('/');
      try { id = decodeURIComponent(id); } catch (e) { /* keep raw */ }
      return { name: 'task', id: id };
    }
    return { name: VIEWS[first] && first !== 'task' ? first : 'overview' };
  }

  function setActiveNav(name) {
    const navName = name === 'task' ? 'tasks' : name;
    for (const a of document.querySelectorAll('.tabs a')) {
      const on = a.id === 'nav-' + navName;
      a.classList.toggle('active', on);
      if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
  }

  function navigate() {
    const route = parseRoute();
    if (current) {
      current.dead = true;
      clearTimeout(current.timer);
      try { current.abort.abort(); } catch (e) { /* ignore */ }
      if (current.view.unmount) { try { current.view.unmount(current); } catch (e) { warn('unmount', e); } }
    }
    const main = $('main');
    main.removeAttribute('data-view');
    main.textContent = '';
    const view = VIEWS[route.name];
    const c = {
      route: route, view: view, main: main, dead: false, timer: null, busy: false, again: false,
      abort: new AbortController(), last: {}, errors: {}, ui: {}, state: {}
    };
    current = c;
    setActiveNav(route.name);
    try { view.mount(c); } catch (e) { warn('mount', e); main.appendChild(note('This view could not be shown: ' + e.message, 'unavailable')); }
    window.scrollTo(0, 0);
    refresh(c);
  }

  function refresh(c) {
    if (c.dead) return;
    if (c.busy) { c.again = true; return; }
    clearTimeout(c.timer);
    c.timer = null;
    c.busy = true;
    let sources;
    try { sources = c.view.sources(c); } catch (e) { sources = {}; warn('sources', e); }
    const keys = Object.keys(sources);
    Promise.all(keys.map(function (k) {
      return api(sources[k], { signal: c.abort.signal }).then(
        function (data) { return { key: k, ok: true, data: data }; },
        function (err) { return { key: k, ok: false, error: err }; });
    })).then(function (results) {
      if (c.dead) return;
      const fresh = new Set();
      let failure = null;
      for (const r of results) {
        if (r.ok) {
          c.last[r.key] = r.data === undefined ? null : r.data;
          delete c.errors[r.key];
          fresh.add(r.key);
        } else if (r.error.kind === 'aborted') {
          return;
        } else if (c.view.accepts && c.view.accepts(r.key, r.error)) {
          c.errors[r.key] = r.error;
          delete c.last[r.key];
          fresh.add(r.key);
        } else {
          c.errors[r.key] = r.error;
          if (!failure || rank(r.error) > rank(failure)) failure = r.error;
        }
      }
      try {
        c.view.update(c, fresh);
      } catch (e) {
        warn('render', e);
      }
      updateRelTimes();
      // the overview answers whatever state NATS is in: its connection says the outage
      const overview = c.last && c.last.overview;
      const conn = !failure && c.view.name === 'overview' && isObj(overview) && isObj(overview.connection)
        ? overview.connection : null;
      setOutage(failure || (conn && str(conn.status) !== 'CONNECTED'
        ? { kind: 'nats', message: 'not connected to NATS (' + str(conn.status) + ')' + (conn.lastError ? ': ' + str(conn.lastError) : '') }
        : null));
      const rs = $('refresh-status');
      if (!failure) {
        loadCounter++;
        c.main.setAttribute('data-view', c.view.name);
        c.main.setAttribute('data-loaded-at', String(loadCounter));
        rs.textContent = 'updated ' + hms(Date.now());
        rs.className = 'refresh-status ok';
      } else {
        rs.className = 'refresh-status stale';
      }
    }).catch(function (e) {
      warn('refresh', e);
    }).then(function () {
      c.busy = false;
      if (c.dead) return;
      if (c.again) { c.again = false; refresh(c); return; }
      c.timer = setTimeout(function () { refresh(c); }, Math.max(1, session.refreshSeconds) * 1000);
    });
  }
  function rank(err) { return err.kind === 'down' ? 3 : err.kind === 'nats' ? 2 : 1; }

  /** Common section handling: returns the data to render, or null after rendering a note. */
  function sectionData(c, key, box, pick) {
    const has = Object.prototype.hasOwnProperty.call(c.last, key);
    if (!has) {
      const err = c.errors[key];
      renderBox(box, { note: err ? errText(err) : 'loading' }, function () {
        return err ? note('unavailable: ' + errText(err), 'unavailable') : loadingNote();
      });
      return null;
    }
    let d = c.last[key];
    if (pick) d = isObj(d) ? d[pick] : undefined;
    if (unavailable(d)) { renderBox(box, d, function () { return unavailableNote(d); }); return null; }
    return d;
  }

  function heading(c, title, sub) {
    c.main.appendChild(el('div', { class: 'view-head' }, el('h1', null, title), sub || null));
  }
  function box(cls) { return el('div', { class: 'box ' + (cls || '') }); }

  // ---------------------------------------------------------------- view: overview

  const CHART_DEFS = {
    messages: [
      { name: 'published', label: 'Messages published/s', color: '#2f6fdf' },
      { name: 'received', label: 'Messages received/s', color: '#1f9d6b' }
    ],
    tasks: [
      { name: 'tasksProcessed', label: 'Tasks processed/s', color: '#1f9d6b' },
      { name: 'tasksFailed', label: 'Task failures/s', color: '#e08a1e' },
      { name: 'deadLetters', label: 'Dead letters/s', color: '#d64545' }
    ]
  };

  function makeChart(canvas, defs) {
    if (typeof window.Chart !== 'function') return null;
    try {
      return new window.Chart(canvas, {
        type: 'line',
        data: {
          labels: [],
          datasets: defs.map(function (d) {
            return {
              label: d.label, data: [], borderColor: d.color, backgroundColor: d.color + '22',
              borderWidth: 2, pointRadius: 0, pointHoverRadius: 3, tension: 0.25, fill: false, spanGaps: true
            };
          })
        },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          interaction: { mode: 'index', intersect: false },
          scales: {
            x: { ticks: { maxTicksLimit: 8, autoSkip: true, maxRotation: 0, color: '#6b7280' }, grid: { display: false } },
            y: { beginAtZero: true, ticks: { color: '#6b7280', maxTicksLimit: 6 }, grid: { color: '#eef0f3' } }
          },
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2, color: '#374151' } } }
        }
      });
    } catch (e) {
      warn('chart', e);
      return null;
    }
  }

  function updateChart(chart, defs, charts) {
    if (!chart) return;
    const series = arr(charts.series);
    chart.data.labels = arr(charts.timestamps).map(hms);
    defs.forEach(function (d, i) {
      const s = series.find(function (x) { return x && x.name === d.name; });
      const ds = chart.data.datasets[i];
      ds.data = s ? arr(s.values).map(function (v) { return isNum(v) ? v : null; }) : [];
      ds.label = s && s.label ? str(s.label) : d.label;
    });
    try { chart.update('none'); } catch (e) { warn('chart update', e); }
  }

  const overviewView = {
    name: 'overview',
    mount: function (c) {
      heading(c, 'Overview');
      c.ui.cards = box('cards');
      c.ui.conn = box();
      c.ui.health = box();
      c.ui.healthTable = keyedTable('health', [
        { label: 'Component' }, { label: 'Status' }, { label: 'Details' }]);
      c.ui.chartNote = box();
      const canvasM = el('canvas', { id: 'chart-messages', 'aria-label': 'Messages per second' });
      const canvasT = el('canvas', { id: 'chart-tasks', 'aria-label': 'Tasks per second' });
      const connSection = sectionEl('Connection');
      connSection.appendChild(c.ui.conn);
      const healthSection = sectionEl('Health');
      healthSection.appendChild(c.ui.health);
      const chartSection = el('section', { class: 'section' },
        el('div', { class: 'section-head' }, el('h2', null, 'Activity'), c.ui.chartNote),
        el('div', { class: 'charts' },
          el('div', { class: 'card chart-card' }, el('h3', null, 'Messages'), el('div', { class: 'chart-box' }, canvasM)),
          el('div', { class: 'card chart-card' }, el('h3', null, 'Tasks'), el('div', { class: 'chart-box' }, canvasT))));
      c.main.appendChild(c.ui.cards);
      c.main.appendChild(chartSection);
      c.main.appendChild(el('div', { class: 'two-col' }, connSection, healthSection));
      c.ui.chartM = makeChart(canvasM, CHART_DEFS.messages);
      c.ui.chartT = makeChart(canvasT, CHART_DEFS.tasks);
      if (!c.ui.chartM) setChildren(c.ui.chartNote, note('charts unavailable (Chart.js did not load)', 'unavailable'));
      c.state.sample = null;
      c.state.rates = null;
    },
    unmount: function (c) {
      for (const ch of [c.ui.chartM, c.ui.chartT]) { if (ch) { try { ch.destroy(); } catch (e) { warn('chart destroy', e); } } }
    },
    sources: function () { return { overview: 'api/overview' }; },
    update: function (c, fresh) {
      const conn = sectionData(c, 'overview', c.ui.conn, 'connection');
      if (conn && fresh.has('overview')) {
        const now = Date.now();
        const prev = c.state.sample;
        if (prev && isNum(conn.inMessages) && isNum(conn.outMessages) && now - prev.t > 250 &&
            conn.inMessages >= prev.in && conn.outMessages >= prev.out) {
          const secs = (now - prev.t) / 1000;
          c.state.rates = { in: (conn.inMessages - prev.in) / secs, out: (conn.outMessages - prev.out) / secs };
        }
        c.state.sample = { t: now, in: conn.inMessages, out: conn.outMessages };
      }
      const rates = c.state.rates;
      renderBox(c.ui.cards, { conn: conn ? { s: conn.status, r: conn.rttMillis, n: conn.reconnects, j: conn.jetStream } : null, rates: rates }, function () {
        if (!conn) return [card('Connection', '—'), card('Messages in/s', '—'), card('Messages out/s', '—'), card('RTT', '—'), card('Reconnects', '—')];
        const ok = str(conn.status) === 'CONNECTED';
        return [
          card('Connection', stateBadge(conn.status || 'UNKNOWN', { class: 'badge-lg', id: 'connection-status' }, ok ? 'ok' : 'bad'),
            conn.jetStream === true ? 'JetStream enabled' : conn.jetStream === false ? 'JetStream off' : null),
          card('Messages in/s', rates ? num1(rates.in) : '—', rates ? null : 'measuring…'),
          card('Messages out/s', rates ? num1(rates.out) : '—', rates ? null : 'measuring…'),
          card('RTT', isNum(conn.rttMillis) ? num2(conn.rttMillis) + ' ms' : '—'),
          card('Reconnects', num(conn.reconnects), null, isNum(conn.reconnects) && conn.reconnects > 0 ? 'warn' : null)
        ];
      });
      if (conn) {
        renderBox(c.ui.conn, conn, function () {
          const ok = str(conn.status) === 'CONNECTED';
          return el('div', { class: 'card' }, kv([
            ['Status', stateBadge(conn.status || 'UNKNOWN', null, ok ? 'ok' : 'bad')],
            ['Server', mono(conn.server)],
            ['Server name', conn.serverName ? mono(conn.serverName) : null],
            ['Version', str(conn.version)],
            ['JetStream', conn.jetStream === true ? 'yes' : conn.jetStream === false ? 'no' : null],
            ['Namespace', conn.namespace ? mono(conn.namespace) : null],
            ['RTT', isNum(conn.rttMillis) ? num2(conn.rttMillis) + ' ms' : null],
            ['Reconnects', num(conn.reconnects)],
            ['Messages in / out', num(conn.inMessages) + ' / ' + num(conn.outMessages)],
            ['Bytes in / out', bytes(conn.inBytes) + ' / ' + bytes(conn.outBytes)],
            ['Last error', conn.lastError ? el('span', { class: 'error-text' }, str(conn.lastError)) : null]
          ]));
        });
      }
      const health = sectionData(c, 'overview', c.ui.health, 'health');
      if (health) {
        placeTable(c.ui.health, c.ui.healthTable);
        c.ui.healthTable.update(arr(health), function (h) { return h && h.component; }, function (h) {
          h = isObj(h) ? h : {};
          const s = str(h.status) || 'UNKNOWN';
          const tone = s === 'UP' ? 'ok' : s === 'DOWN' ? 'bad' : 'neutral';
          return el('tr', { 'data-component': str(h.component) },
            td(mono(h.component)), td(stateBadge(s, null, tone)),
            td(el('span', { class: 'details', title: h.details ? pretty(h.details) : null }, shortDetails(h.details)), 'details-cell'));
        }, 'No health indicators.');
      } else if (health !== null && c.last.overview) {
        renderBox(c.ui.health, 'none', function () { return note('No health indicators.'); });
      }
      const ov = c.last.overview;
      if (isObj(ov)) {
        const charts = ov.charts;
        if (unavailable(charts)) {
          renderBox(c.ui.chartNote, charts, function () { return unavailableNote(charts); });
        } else if (isObj(charts)) {
          if (c.ui.chartM) renderBox(c.ui.chartNote, { i: charts.intervalSeconds }, function () {
            return isNum(charts.intervalSeconds) ? el('span', { class: 'muted small' }, 'one point every ' + charts.intervalSeconds + 's') : null;
          });
          if (fresh.has('overview')) {
            updateChart(c.ui.chartM, CHART_DEFS.messages, charts);
            updateChart(c.ui.chartT, CHART_DEFS.tasks, charts);
          }
        }
      }
    }
  };

  // ---------------------------------------------------------------- view: task queues

  function taskSearchForm(initial) {
    const input = el('input', { id: 'task-search', type: 'search', placeholder: 'Task id', 'aria-label': 'Task id', autocomplete: 'off', spellcheck: 'false' });
    if (initial) input.value = initial;
    const go = function () {
      const v = input.value.trim();
      if (!v) { input.focus(); return; }
      location.hash = '#/tasks/' + encodeURIComponent(v);
    };
    input.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); go(); } });
    const btn = el('button', { id: 'task-search-go', type: 'button', class: 'btn' }, 'Find task');
    btn.addEventListener('click', go);
    return el('div', { class: 'search' }, input, btn);
  }

  function toggle(parent, child, show, before) {
    if (show) { if (child.parentNode !== parent) parent.insertBefore(child, before || null); }
    else if (child.parentNode) child.parentNode.removeChild(child);
  }

  const tasksView = {
    name: 'tasks',
    mount: function (c) {
      heading(c, 'Task queues', taskSearchForm(''));
      c.state.before = null;
      c.state.queue = '';
      c.ui.cards = box('cards');
      c.ui.census = box();
      c.ui.queues = box();
      c.ui.types = box();
      c.ui.running = box();
      c.ui.dead = box();
      c.ui.queuesTable = keyedTable('queues', [
        { label: 'Queue' }, { label: 'Pending', num: true }, { label: 'Running', num: true }, { label: 'Succeeded', num: true },
        { label: 'Failed', num: true }, { label: 'Dead', num: true }, { label: 'Worker' }]);
      c.ui.typesTable = keyedTable('task-types', [{ label: 'Queue' }, { label: 'Type' }].concat(
        TASK_STATES.map(function (s) { return { label: s.charAt(0) + s.slice(1).toLowerCase(), num: true }; })));
      c.ui.runningTable = keyedTable('running-tasks', [
        { label: 'Task' }, { label: 'Type' }, { label: 'Queue' }, { label: 'Attempts', num: true },
        { label: 'Progress', cls: 'col-progress' }, { label: 'Updated' }]);
      const deadCols = [{ label: 'Task' }, { label: 'Type' }, { label: 'Queue' }, { label: 'Seq', num: true },
        { label: 'Failed' }, { label: 'Attempts', num: true }, { label: 'Exception' }, { label: 'Payload' }];
      if (session.actionsEnabled) deadCols.push({ label: 'Actions', cls: 'col-actions' });
      c.ui.deadTable = keyedTable('dead-letters', deadCols);

      const select = el('select', { id: 'dead-queue', 'aria-label': 'Queue filter' }, el('option', { value: '' }, 'All queues'));
      select.addEventListener('change', function () { c.state.queue = select.value; c.state.before = null; refresh(c); });
      c.ui.queueSelect = select;
      c.ui.deadTotal = el('span', { class: 'muted', id: 'dead-total' });
      c.ui.pager = el('div', { class: 'pager' });
      c.ui.newest = el('button', { type: 'button', class: 'btn btn-light', id: 'dead-newest' }, '« Newest');
      c.ui.newest.addEventListener('click', function () { c.state.before = null; refresh(c); });
      c.ui.older = el('button', { type: 'button', class: 'btn btn-light', id: 'dead-older' }, 'Older »');
      c.ui.older.addEventListener('click', function () {
        const d = c.last.dead;
        if (isObj(d) && d.next !== null && d.next !== undefined) { c.state.before = d.next; refresh(c); }
      });
      const tools = el('div', { class: 'toolbar' }, c.ui.deadTotal, select, c.ui.pager);
      if (session.actionsEnabled) {
        tools.appendChild(confirmButton({
          id: 'action-purge', key: 'purge', label: 'Purge all', confirmLabel: 'Confirm purge',
          run: function (b) {
            post('api/tasks/dead/purge', b, 'Purge', function (r) {
              return 'Purged ' + num(r.purged) + ' dead letter' + (r.purged === 1 ? '' : 's');
            });
          }
        }));
      }
      const s = function (title, b, extra) { const sec = sectionEl(title, extra); sec.appendChild(b); return sec; };
      c.main.appendChild(c.ui.cards);
      c.main.appendChild(s('Queues', c.ui.queues, c.ui.census));
      c.main.appendChild(s('Running tasks', c.ui.running));
      c.main.appendChild(s('Task types', c.ui.types));
      c.main.appendChild(s('Dead letters', c.ui.dead, tools));
    },
    sources: function (c) {
      let dead = 'api/tasks/dead?size=20';
      if (c.state.before !== null && c.state.before !== undefined) dead += '&before=' + encodeURIComponent(str(c.state.before));
      if (c.state.queue) dead += '&queue=' + encodeURIComponent(c.state.queue);
      return { tasks: 'api/tasks', dead: dead };
    },
    update: function (c) {
      const t = c.last.tasks;
      const queues = sectionData(c, 'tasks', c.ui.queues, 'queues');
      // summary cards
      renderBox(c.ui.cards, Array.isArray(queues) ? queues.map(function (q) { return [q && q.pending, q && q.running, q && q.succeeded, q && q.failed, q && q.dead]; }) : null, function () {
        const sum = function (f) {
          if (!Array.isArray(queues)) return null;
          return queues.reduce(function (a, q) { return a + (isObj(q) && isNum(q[f]) ? q[f] : 0); }, 0);
        };
        const dead = sum('dead');
        return [card('Pending', num(sum('pending'))), card('Running', num(sum('running')), null, 'info'),
          card('Succeeded', num(sum('succeeded')), null, 'ok'), card('Failed', num(sum('failed')), null, sum('failed') ? 'warn' : null),
          card('Dead', num(dead), null, dead ? 'bad' : null)];
      });
      if (isObj(t) && isObj(t.census)) {
        const cz = t.census;
        renderBox(c.ui.census, cz, function () {
          return el('span', { class: 'muted small census' },
            'counted from ' + num(cz.read) + ' task record' + (cz.read === 1 ? '' : 's') + (isNum(cz.limit) ? ' (limit ' + num(cz.limit) + ')' : ''),
            cz.truncated ? badge('truncated: counts are partial', 'warn') : null);
        });
      }
      if (Array.isArray(queues)) {
        placeTable(c.ui.queues, c.ui.queuesTable);
        c.ui.queuesTable.update(queues, function (q) { return q && q.queue; }, function (q) {
          q = isObj(q) ? q : {};
          return el('tr', { 'data-queue': str(q.queue) },
            td(mono(q.queue, 'strong')), tdNum(q.pending), tdNum(q.running), tdNum(q.succeeded),
            tdNum(q.failed, null, q.failed > 0 ? 'warn-text' : ''), tdNum(q.dead, null, q.dead > 0 ? 'bad-text' : ''),
            td(q.worker === undefined || q.worker === null ? null : unavailable(q.worker) ? unavailableNote(q.worker) :
              el('span', { class: 'details small', title: pretty(q.worker) }, shortDetails(q.worker, 120)), 'details-cell'));
        }, 'No task queues.');
        // queue filter options
        const names = queues.map(function (q) { return str(q && q.queue); }).filter(Boolean);
        const sel = c.ui.queueSelect;
        if (c.state.queue && names.indexOf(c.state.queue) < 0) names.push(c.state.queue);
        const want = sig(names);
        if (sel._names !== want) {
          sel._names = want;
          while (sel.options.length > 1) sel.remove(1);
          for (const n of names) sel.appendChild(el('option', { value: n }, n));
          sel.value = c.state.queue;
        }
      } else if (queues !== null && t !== undefined) {
        renderBox(c.ui.queues, 'none', function () { return note('No task queues.'); });
      }
      const types = sectionData(c, 'tasks', c.ui.types, 'types');
      if (types !== null) {
        placeTable(c.ui.types, c.ui.typesTable);
        c.ui.typesTable.update(arr(types), function (x) { return str(x && x.queue) + '/' + str(x && x.type); }, function (x) {
          x = isObj(x) ? x : {};
          const counts = isObj(x.counts) ? x.counts : {};
          return el('tr', null, td(mono(x.queue)), td(mono(x.type, 'strong')),
            TASK_STATES.map(function (s) {
              const v = counts[s];
              return tdNum(v, null, v > 0 ? ('state-' + s.toLowerCase()) : '');
            }));
        }, 'No task types seen yet.');
      }
      const running = sectionData(c, 'tasks', c.ui.running, 'running');
      if (running !== null) {
        placeTable(c.ui.running, c.ui.runningTable);
        c.ui.runningTable.update(arr(running), function (r) { return r && r.id; }, function (r) {
          r = isObj(r) ? r : {};
          return el('tr', { 'data-task-id': str(r.id) }, td(taskLink(r.id)), td(mono(r.type)), td(mono(r.queue)),
            tdNum(r.attempts), td(progressBar(r.progress, r.progressNote), 'col-progress'), td(timeEl(r.updatedAt)));
        }, 'No task is running.');
      }
      const dead = sectionData(c, 'dead', c.ui.dead);
      if (dead !== null) {
        const d = isObj(dead) ? dead : {};
        const letters = arr(d.letters).slice().sort(function (a, b) {
          return isNum(a && a.sequence) && isNum(b && b.sequence) ? b.sequence - a.sequence : 0;
        });
        placeTable(c.ui.dead, c.ui.deadTable);
        c.ui.deadTable.update(letters, function (l) { return str(l && l.sequence) + '|' + str(l && l.id); }, function (l) {
          l = isObj(l) ? l : {};
          return el('tr', { 'data-task-id': str(l.id), 'data-sequence': str(l.sequence) },
            td(taskLink(l.id)), td(mono(l.type)), td(mono(l.queue)), tdNum(l.sequence), td(timeEl(l.failedAt)),
            tdNum(l.attempts), td(exceptionCell(l.exceptionClass, l.exceptionMessage), 'exception-cell'),
            td(payloadCell(l.payloadPreview, l.payloadBytes), 'payload-cell'),
            session.actionsEnabled ? td(el('div', { class: 'actions' }, requeueButton(l), deleteButton(l)), 'col-actions') : null);
        }, c.state.before !== null ? 'No older dead letters.' : 'No dead letters. Good.');
        const total = isNum(d.total) ? num(d.total) + ' dead letter' + (d.total === 1 ? '' : 's') + (c.state.queue ? ' in ' + c.state.queue : '') : '';
        if (c.ui.deadTotal.textContent !== total) c.ui.deadTotal.textContent = total;
        toggle(c.ui.pager, c.ui.newest, c.state.before !== null && c.state.before !== undefined, c.ui.older.parentNode === c.ui.pager ? c.ui.older : null);
        toggle(c.ui.pager, c.ui.older, d.next !== null && d.next !== undefined);
      }
    }
  };

  // ---------------------------------------------------------------- view: one task

  const taskView = {
    name: 'task',
    mount: function (c) {
      const id = c.route.id;
      c.main.appendChild(el('div', { class: 'crumbs' }, el('a', { href: '#/tasks', id: 'back-to-tasks' }, '← Task queues')));
      heading(c, el('span', null, 'Task ', el('span', { class: 'mono' }, id)), taskSearchForm(''));
      c.ui.body = box();
      c.main.appendChild(c.ui.body);
    },
    sources: function (c) { return { task: 'api/tasks/' + encodeURIComponent(c.route.id) }; },
    accepts: function (key, err) { return err.kind === 'error' && err.status === 404; },
    update: function (c) {
      const err = c.errors.task;
      if (err && err.status === 404 && !Object.prototype.hasOwnProperty.call(c.last, 'task')) {
        renderBox(c.ui.body, { nf: err.message }, function () {
          return el('div', { class: 'card not-found', id: 'task-not-found' },
            el('p', { class: 'strong' }, 'Task not found'), el('p', { class: 'muted' }, err.message));
        });
        return;
      }
      const t = sectionData(c, 'task', c.ui.body);
      if (t === null) return;
      renderBox(c.ui.body, t, function () { return renderTask(isObj(t) ? t : {}); });
    }
  };

  function renderTask(t) {
    const st = isObj(t.status) ? t.status : null;
    const dl = isObj(t.deadLetter) && !unavailable(t.deadLetter) ? t.deadLetter : null;
    const state = st && st.state ? str(st.state) : dl ? 'DEAD' : 'UNKNOWN';
    const out = [];
    out.push(el('div', { class: 'task-head card' },
      stateBadge(state, { id: 'task-state', class: 'badge-lg' }),
      st ? el('span', { class: 'task-meta' }, 'type ', mono(st.type, 'strong'), ' · queue ', mono(st.queue),
        st.priority !== undefined && st.priority !== null ? ' · priority ' + str(st.priority) : '') :
        el('span', { class: 'muted' }, 'no status record' + (dl ? ' (only a dead letter)' : ''))));
    if (unavailable(t.status)) out.push(unavailableNote(t.status));
    if (st) {
      const attempts = num(st.attempts) + (isNum(st.maxAttempts) ? ' / ' + num(st.maxAttempts) : '');
      out.push(el('div', { class: 'cards' },
        card('Attempts', attempts), card('Requeues', num(st.requeues)),
        card('Stream sequence', num(st.streamSequence)),
        el('div', { class: 'card stat stat-wide' }, el('div', { class: 'stat-label' }, 'Progress'),
          el('div', { class: 'stat-progress' }, progressBar(st.progress, st.progressNote)))));
      const sec = sectionEl('Status');
      sec.appendChild(el('div', { class: 'card' }, kv([
        ['Task id', mono(st.id || t.id)], ['Type', mono(st.type)], ['Queue', mono(st.queue)],
        ['Priority', str(st.priority)], ['State', str(st.state)],
        ['Enqueued', timeEl(st.enqueuedAt)], ['Not before', timeEl(st.notBefore)], ['Updated', timeEl(st.updatedAt)],
        ['Last error', st.lastError ? el('pre', { class: 'error-text pre' }, str(st.lastError)) : null]
      ])));
      out.push(sec);
    }
    const res = sectionEl('Result');
    if (unavailable(t.result)) res.appendChild(unavailableNote(t.result));
    else if (t.result === null || t.result === undefined) res.appendChild(note('No result stored.'));
    else res.appendChild(el('pre', { class: 'pre json', id: 'task-result' }, pretty(t.result)));
    out.push(res);
    if (unavailable(t.deadLetter)) {
      const s = sectionEl('Dead letter'); s.appendChild(unavailableNote(t.deadLetter)); out.push(s);
    } else if (dl) {
      const s = sectionEl('Dead letter', session.actionsEnabled ? el('div', { class: 'actions' }, requeueButton(dl)) : null);
      s.classList.add('dead-letter');
      s.appendChild(el('div', { class: 'card' }, kv([
        ['Stream sequence', num(dl.sequence)], ['Failed', timeEl(dl.failedAt)], ['Attempts', num(dl.attempts)],
        ['Exception', dl.exceptionClass ? mono(dl.exceptionClass) : null],
        ['Message', dl.exceptionMessage ? el('pre', { class: 'error-text pre' }, str(dl.exceptionMessage)) : null],
        ['Payload', el('div', null, el('pre', { class: 'pre' }, str(dl.payloadPreview)),
          isNum(dl.payloadBytes) ? el('span', { class: 'muted small' }, bytes(dl.payloadBytes)) : null)]
      ])));
      out.push(s);
    }
    return out;
  }

  // ---------------------------------------------------------------- view: listeners

  const listenersView = {
    name: 'listeners',
    mount: function (c) {
      heading(c, 'Listeners');
      c.ui.cards = box('cards');
      c.ui.list = box();
      const cols = [{ label: 'Listener' }, { label: 'Subject / stream' }, { label: 'State' },
        { label: 'Threads', num: true, title: 'concurrency' }, { label: 'Pending', num: true },
        { label: 'Ack pend.', num: true, title: 'ack pending' }, { label: 'Redeliv.', num: true, title: 'redelivered' },
        { label: 'Handled', num: true }, { label: 'Failed', num: true }, { label: 'Dead', num: true, title: 'dead-lettered' }];
      if (session.actionsEnabled) cols.push({ label: 'Actions', cls: 'col-actions' });
      c.ui.table = keyedTable('listeners', cols);
      c.main.appendChild(c.ui.cards);
      const sec = sectionEl('Message listeners');
      sec.appendChild(c.ui.list);
      c.main.appendChild(sec);
    },
    sources: function () { return { listeners: 'api/listeners' }; },
    update: function (c) {
      const list = sectionData(c, 'listeners', c.ui.list, 'listeners');
      const items = Array.isArray(list) ? list.filter(isObj) : null;
      renderBox(c.ui.cards, items ? items.map(function (l) { return [l.running, l.problem ? 1 : 0, l.handled, l.failed, l.deadLettered]; }) : null, function () {
        if (!items) return [card('Listeners', '—'), card('Running', '—'), card('Stopped', '—'), card('With problems', '—')];
        const running = items.filter(function (l) { return l.running === true; }).length;
        const problems = items.filter(function (l) { return !!l.problem; }).length;
        const sum = function (f) { return items.reduce(function (a, l) { return a + (isNum(l[f]) ? l[f] : 0); }, 0); };
        return [card('Listeners', num(items.length)), card('Running', num(running), null, 'ok'),
          card('Stopped', num(items.length - running), null, items.length - running ? 'warn' : null),
          card('With problems', num(problems), null, problems ? 'bad' : null),
          card('Handled', num(sum('handled'))), card('Failed', num(sum('failed')), null, sum('failed') ? 'warn' : null)];
      });
      if (list === null) return;
      placeTable(c.ui.list, c.ui.table);
      c.ui.table.update(items || [], function (l) { return l.id; }, function (l) {
        const id = str(l.id);
        let action = null;
        if (session.actionsEnabled) {
          const stop = l.running === true;
          action = actionButton({
            cls: stop ? 'action-stop' : 'action-start', style: stop ? 'btn-warn' : 'btn-primary', label: stop ? 'Stop' : 'Start',
            run: function (b) {
              post('api/listeners/' + encodeURIComponent(id) + '/' + (stop ? 'stop' : 'start'), b, (stop ? 'Stop' : 'Start') + ' of ' + id, function (r) {
                return (stop ? 'Stopped' : 'Started') + ' listener ' + id + (r && r.state ? ': ' + str(r.state) : '');
              });
            }
          });
        }
        const tone = l.problem ? 'bad' : undefined;
        return el('tr', { 'data-listener-id': id, class: l.running === true ? '' : 'stopped' },
          td(el('div', { class: 'listener-id' }, el('div', { class: 'nowrap' }, mono(id, 'strong'), ' ', badge(str(l.kind) || '?', 'outline')),
            l.problem ? el('div', { class: 'problem' }, str(l.problem)) : null)),
          td(el('div', null, mono(l.subject),
            l.queueGroup ? el('div', { class: 'muted small' }, 'queue group ', mono(l.queueGroup)) : null,
            l.stream ? el('div', { class: 'muted small' }, 'stream ', mono(l.stream)) : null,
            l.durable ? el('div', { class: 'muted small' }, 'durable ', mono(l.durable)) : null)),
          td(el('div', null, stateBadge(l.state, null, tone),
            l.running === true && l.receiving === false ? el('div', { class: 'muted small' }, 'not receiving') : null)),
          tdNum(l.concurrency), tdNum(l.pending, null, l.pending > 0 ? 'warn-text' : ''), tdNum(l.ackPending),
          tdNum(l.redelivered), tdNum(l.handled), tdNum(l.failed, null, l.failed > 0 ? 'warn-text' : ''),
          tdNum(l.deadLettered, null, l.deadLettered > 0 ? 'bad-text' : ''),
          session.actionsEnabled ? td(el('div', { class: 'actions' }, action), 'col-actions') : null);
      }, 'No listeners are registered.');
    }
  };

  // ---------------------------------------------------------------- view: streams

  const streamsView = {
    name: 'streams',
    mount: function (c) {
      heading(c, 'Streams');
      c.state.before = null;
      c.ui.streams = box();
      c.ui.dlq = box();
      c.ui.streamsTable = keyedTable('streams', [
        { label: 'Stream / consumer' }, { label: 'Subjects / filter' }, { label: 'Owner' }, { label: 'Messages', num: true },
        { label: 'Bytes', num: true }, { label: 'Sequences', num: true }, { label: 'Lag (pending)', num: true },
        { label: 'Ack pending', num: true }, { label: 'Redelivered', num: true }, { label: 'Waiting', num: true }]);
      const cols = [{ label: 'Seq', num: true }, { label: 'Failed' }, { label: 'Listener' }, { label: 'Original subject' },
        { label: 'Attempts', num: true }, { label: 'Exception' }, { label: 'Payload' }];
      if (session.actionsEnabled) cols.push({ label: 'Actions', cls: 'col-actions' });
      c.ui.dlqTable = keyedTable('listener-dead-letters', cols);
      c.ui.dlqInfo = el('span', { class: 'muted', id: 'listener-dead-total' });
      c.ui.pager = el('div', { class: 'pager' });
      c.ui.newest = el('button', { type: 'button', class: 'btn btn-light', id: 'listener-dead-newest' }, '« Newest');
      c.ui.newest.addEventListener('click', function () { c.state.before = null; refresh(c); });
      c.ui.older = el('button', { type: 'button', class: 'btn btn-light', id: 'listener-dead-older' }, 'Older »');
      c.ui.older.addEventListener('click', function () {
        const d = c.last.dlq;
        if (isObj(d) && d.next !== null && d.next !== undefined) { c.state.before = d.next; refresh(c); }
      });
      const s1 = sectionEl('Streams and consumers');
      s1.appendChild(c.ui.streams);
      const s2 = sectionEl('Dead letters of durable listeners', el('div', { class: 'toolbar' }, c.ui.dlqInfo, c.ui.pager));
      s2.appendChild(c.ui.dlq);
      c.main.appendChild(s1);
      c.main.appendChild(s2);
    },
    sources: function (c) {
      let q = 'api/streams/dead-letters?size=20';
      if (c.state.before !== null && c.state.before !== undefined) q += '&before=' + encodeURIComponent(str(c.state.before));
      return { streams: 'api/streams', dlq: q };
    },
    update: function (c) {
      const streams = sectionData(c, 'streams', c.ui.streams, 'streams');
      if (streams !== null) {
        const rows = [];
        for (const s of arr(streams)) {
          if (!isObj(s)) continue;
          rows.push({ k: 's', s: s });
          if (unavailable(s.consumers)) rows.push({ k: 'u', s: s, c: s.consumers });
          else for (const cn of arr(s.consumers)) if (isObj(cn)) rows.push({ k: 'c', s: { name: s.name }, c: cn });
        }
        placeTable(c.ui.streams, c.ui.streamsTable);
        c.ui.streamsTable.update(rows, function (r) { return r.k + ':' + str(r.s.name) + (r.k === 'c' ? '/' + str(r.c.name) : ''); }, function (r) {
          if (r.k === 's') {
            const s = r.s;
            return el('tr', { class: 'stream-row', 'data-stream': str(s.name) },
              td(el('div', null, mono(s.name, 'strong'), el('div', { class: 'muted small' }, num(s.consumerCount) + ' consumer' + (s.consumerCount === 1 ? '' : 's')))),
              td(el('div', { class: 'subjects' }, arr(s.subjects).map(function (x) { return el('div', null, mono(x)); }))),
              td(s.owner ? badge(s.owner, s.owner === 'natsboot' ? 'info' : 'outline') : null),
              tdNum(s.messages), tdNum(s.bytes, bytes),
              el('td', { class: 'num' }, isNum(s.firstSequence) || isNum(s.lastSequence) ? num(s.firstSequence) + ' – ' + num(s.lastSequence) : '—'),
              el('td'), el('td'), el('td'), el('td'));
          }
          if (r.k === 'u') {
            return el('tr', { class: 'consumer-row' }, el('td', { colspan: 10 }, unavailableNote(r.c)));
          }
          const cn = r.c;
          return el('tr', { class: 'consumer-row', 'data-stream': str(r.s.name), 'data-consumer': str(cn.name) },
            td(el('div', { class: 'consumer-name' }, el('span', { class: 'muted' }, '↳ '), mono(cn.name))),
            td(el('div', { class: 'subjects' }, arr(cn.filterSubjects).map(function (x) { return el('div', null, mono(x)); }))),
            td(badge('consumer', 'neutral')), el('td'), el('td'), el('td'),
            tdNum(cn.pending, null, cn.pending > 0 ? 'warn-text strong' : ''), tdNum(cn.ackPending), tdNum(cn.redelivered), tdNum(cn.waiting));
        }, 'No streams.');
      }
      const dlq = sectionData(c, 'dlq', c.ui.dlq);
      if (dlq !== null) {
        const d = isObj(dlq) ? dlq : {};
        const letters = arr(d.letters).filter(isObj).slice().sort(function (a, b) {
          return isNum(a.sequence) && isNum(b.sequence) ? b.sequence - a.sequence : 0;
        });
        placeTable(c.ui.dlq, c.ui.dlqTable);
        c.ui.dlqTable.update(letters, function (l) { return l.sequence; }, function (l) {
          const seq = str(l.sequence);
          return el('tr', { 'data-sequence': seq },
            tdNum(l.sequence), td(timeEl(l.failedAt)),
            td(el('div', null, mono(str(l.stream) + (l.consumer ? ' / ' + str(l.consumer) : '')), l.subject ? el('div', { class: 'muted small' }, mono(l.subject)) : null)),
            td(mono(l.originalSubject)), tdNum(l.attempts),
            td(exceptionCell(l.exceptionClass, l.exceptionMessage), 'exception-cell'),
            td(payloadCell(l.payloadPreview, l.payloadBytes), 'payload-cell'),
            session.actionsEnabled ? td(el('div', { class: 'actions' }, actionButton({
              cls: 'action-republish', style: 'btn-primary', label: 'Re-publish', title: 'Publish the message again to ' + str(l.originalSubject),
              run: function (b) {
                post('api/streams/dead-letters/' + encodeURIComponent(seq) + '/republish', b, 'Re-publish of ' + seq, function (r) {
                  return 'Re-published dead letter ' + str(r.sequence !== undefined ? r.sequence : seq) +
                    (r.subject ? ' to ' + str(r.subject) : '') + (isNum(r.published) ? ' (stream sequence ' + r.published + ')' : '');
                });
              }
            })), 'col-actions') : null);
        }, c.state.before !== null ? 'No older dead letters.' : 'No dead letters. Good.');
        const info = (d.stream ? 'stream ' + str(d.stream) + ' · ' : '') + (isNum(d.total) ? num(d.total) + ' dead letter' + (d.total === 1 ? '' : 's') : '');
        if (c.ui.dlqInfo.textContent !== info) c.ui.dlqInfo.textContent = info;
        toggle(c.ui.pager, c.ui.newest, c.state.before !== null && c.state.before !== undefined, c.ui.older.parentNode === c.ui.pager ? c.ui.older : null);
        toggle(c.ui.pager, c.ui.older, d.next !== null && d.next !== undefined);
      }
    }
  };

  // ---------------------------------------------------------------- view: key store

  function valueCell(v) {
    if (v === undefined) return el('span', { class: 'muted' }, '—');
    const text = typeof v === 'string' ? JSON.stringify(v) : sig(v);
    return el('code', { class: 'payload-preview', title: pretty(v) }, truncate(text, 160));
  }

  const keystoreView = {
    name: 'keystore',
    mount: function (c) {
      heading(c, 'Key store');
      c.state.prefix = '';
      c.state.after = null;
      c.ui.cards = box('cards');
      c.ui.details = box();
      c.ui.keys = box();
      const cols = [{ label: 'Key' }, { label: 'Version', num: true }, { label: 'Size', num: true }, { label: 'Format' },
        { label: 'Type' }, { label: 'Tags' }, { label: 'Created' }, { label: 'Updated' }, { label: 'Expires' }];
      if (session.showValues) cols.push({ label: 'Value' });
      c.ui.table = keyedTable('keys', cols);
      const input = el('input', { id: 'key-prefix', type: 'search', placeholder: 'Key prefix, e.g. session:', 'aria-label': 'Key prefix', autocomplete: 'off', spellcheck: 'false' });
      const search = function () { c.state.prefix = input.value; c.state.after = null; c.state.pages = []; refresh(c); };
      input.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); search(); } });
      const btn = el('button', { type: 'button', class: 'btn', id: 'key-search' }, 'Search');
      btn.addEventListener('click', search);
      c.ui.first = el('button', { type: 'button', class: 'btn btn-light', id: 'keys-first' }, '« First');
      c.ui.first.addEventListener('click', function () { c.state.after = null; refresh(c); });
      c.ui.next = el('button', { type: 'button', class: 'btn btn-light', id: 'keys-next' }, 'Next »');
      c.ui.next.addEventListener('click', function () {
        const d = c.last.keys;
        if (isObj(d) && d.next !== null && d.next !== undefined) { c.state.after = d.next; refresh(c); }
      });
      c.ui.pager = el('div', { class: 'pager' });
      c.main.appendChild(c.ui.cards);
      const ds = sectionEl('Backend details');
      ds.appendChild(c.ui.details);
      const ks = sectionEl('Keys', el('div', { class: 'toolbar' }, el('div', { class: 'search' }, input, btn), c.ui.pager));
      if (!session.showValues) ks.appendChild(note('values hidden (nats.console.show-values)', 'values-hidden'));
      ks.appendChild(c.ui.keys);
      c.main.appendChild(ks);
      c.main.appendChild(ds);
    },
    sources: function (c) {
      let k = 'api/keystore/keys?prefix=' + encodeURIComponent(c.state.prefix) + '&size=50';
      if (c.state.after !== null && c.state.after !== undefined) k += '&after=' + encodeURIComponent(str(c.state.after));
      return { store: 'api/keystore', keys: k };
    },
    update: function (c) {
      const store = sectionData(c, 'store', c.ui.details);
      renderBox(c.ui.cards, store === null ? null : store, function () {
        if (!isObj(store)) return [card('Backend', '—'), card('Keys', '—'), card('Keys with TTL', '—'), card('Cache hit ratio', '—')];
        const cache = store.cache;
        const out = [
          card('Backend', str(store.backend) || '—', [store.bucket ? 'bucket ' + str(store.bucket) : '', store.namespace ? 'namespace ' + str(store.namespace) : ''].filter(Boolean).join(' · ')),
          card('Keys', num(store.totalKeys)),
          card('Keys with TTL', num(store.keysWithTtl))
        ];
        if (unavailable(cache)) out.push(el('div', { class: 'card stat' }, el('div', { class: 'stat-label' }, 'Cache'), unavailableNote(cache)));
        else if (isObj(cache) && cache.enabled !== false) {
          out.push(card('Cache hit ratio', isNum(cache.hitRatio) ? num1(cache.hitRatio * 100) + ' %' : '—',
            num(cache.hits) + ' hits · ' + num(cache.misses) + ' misses', isNum(cache.hitRatio) ? (cache.hitRatio >= 0.8 ? 'ok' : cache.hitRatio < 0.5 ? 'warn' : null) : null));
          out.push(card('Cache size', num(cache.size) + (isNum(cache.maxSize) ? ' / ' + num(cache.maxSize) : ''),
            bytes(cache.estimatedBytes) + ' · ' + num(cache.evictions) + ' evictions'));
          out.push(card('Cache serving', store.cacheServing === true ? 'yes' : store.cacheServing === false ? 'no' : '—', null,
            store.cacheServing === false ? 'warn' : null));
        } else {
          out.push(card('Cache', 'off', 'no local cache'));
        }
        return out;
      });
      if (store !== null) {
        renderBox(c.ui.details, store, function () {
          const s = isObj(store) ? store : {};
          const rows = [['Backend', str(s.backend)], ['Bucket', s.bucket ? mono(s.bucket) : null], ['Namespace', s.namespace ? mono(s.namespace) : null]];
          if (unavailable(s.details)) rows.push(['Details', unavailableNote(s.details)]);
          else if (isObj(s.details)) {
            for (const k of Object.keys(s.details)) {
              const v = s.details[k];
              rows.push([k, v !== null && typeof v === 'object' ? el('code', { class: 'small' }, sig(v)) : str(v)]);
            }
          }
          return el('div', { class: 'card' }, kv(rows));
        });
      }
      const keys = sectionData(c, 'keys', c.ui.keys);
      if (keys !== null) {
        const d = isObj(keys) ? keys : {};
        placeTable(c.ui.keys, c.ui.table);
        c.ui.table.update(arr(d.keys).filter(isObj), function (k) { return k.key; }, function (k) {
          return el('tr', { 'data-key': str(k.key) },
            td(mono(k.key, 'strong')), tdNum(k.version), tdNum(k.size, bytes), td(k.format ? badge(k.format, 'outline') : null),
            td(k.type ? mono(k.type, 'small') : null),
            td(arr(k.tags).length ? el('div', { class: 'tags' }, arr(k.tags).map(function (t) { return el('span', { class: 'tag' }, str(t)); })) : null),
            td(timeEl(k.createdAt)), td(timeEl(k.updatedAt)),
            td(k.expiresAt ? el('div', null, timeEl(k.expiresAt), isNum(k.ttlSeconds) ? el('div', { class: 'muted small' }, 'ttl ' + num(k.ttlSeconds) + 's') : null) : el('span', { class: 'muted' }, 'never')),
            session.showValues ? td(valueCell(k.value), 'payload-cell') : null);
        }, c.state.prefix ? 'No keys start with “' + c.state.prefix + '”.' : 'No keys.');
        toggle(c.ui.pager, c.ui.first, c.state.after !== null && c.state.after !== undefined, c.ui.next.parentNode === c.ui.pager ? c.ui.next : null);
        toggle(c.ui.pager, c.ui.next, d.next !== null && d.next !== undefined);
      }
    }
  };

  // ---------------------------------------------------------------- view: instances

  const instancesView = {
    name: 'instances',
    mount: function (c) {
      heading(c, 'Instances');
      c.ui.cards = box('cards');
      c.ui.list = box();
      c.ui.table = keyedTable('instances', [
        { label: 'Instance' }, { label: 'Application' }, { label: 'Host' }, { label: 'PID', num: true }, { label: 'Version' },
        { label: 'natsboot' }, { label: 'Started' }, { label: 'Heartbeat' }, { label: 'Queues' }, { label: 'Listeners' }, { label: 'State' }]);
      c.main.appendChild(c.ui.cards);
      const s = sectionEl('Application instances');
      s.appendChild(c.ui.list);
      c.main.appendChild(s);
    },
    sources: function () { return { instances: 'api/instances' }; },
    update: function (c) {
      const all = c.last.instances;
      const list = sectionData(c, 'instances', c.ui.list, 'instances');
      const items = Array.isArray(list) ? list.filter(isObj) : null;
      renderBox(c.ui.cards, { s: items ? items.map(function (i) { return i.state; }) : null, h: isObj(all) ? [all.heartbeatSeconds, all.timeoutSeconds] : null }, function () {
        const up = items ? items.filter(function (i) { return i.state !== 'GONE'; }).length : null;
        return [card('Instances up', up === null ? '—' : num(up), null, 'ok'),
          card('Gone', items ? num(items.length - up) : '—', null, items && items.length - up ? 'warn' : null),
          card('Heartbeat', isObj(all) && isNum(all.heartbeatSeconds) ? 'every ' + all.heartbeatSeconds + 's' : '—',
            isObj(all) && isNum(all.timeoutSeconds) ? 'gone after ' + all.timeoutSeconds + 's of silence' : null)];
      });
      if (list === null) return;
      placeTable(c.ui.list, c.ui.table);
      c.ui.table.update(items || [], function (i) { return i.id; }, function (i) {
        const gone = str(i.state) === 'GONE';
        const names = function (a) {
          return arr(a).length ? el('div', { class: 'tags' }, arr(a).map(function (x) { return el('span', { class: 'tag mono' }, str(x)); })) : null;
        };
        return el('tr', { 'data-instance-id': str(i.id), class: (gone ? 'gone' : '') + (i.self === true ? ' self' : '') },
          td(el('div', null, mono(i.id, 'strong'), i.self === true ? el('div', null, badge('this instance', 'info', { class: 'self-marker' })) : null)),
          td(str(i.application)), td(mono(i.host, 'nowrap')), tdNum(i.pid, function (v) { return isNum(v) ? String(v) : '—'; }),
          td(mono(i.version, 'small nowrap')), td(mono(i.natsbootVersion, 'small nowrap')), td(timeEl(i.startedAt)), td(timeEl(i.heartbeatAt)),
          td(names(i.queues)), td(names(i.listeners)),
          td(gone ? badge('gone', 'neutral', { class: 'gone-badge' }) : stateBadge(i.state)));
      }, 'No instances have reported a heartbeat.');
    }
  };

  const VIEWS = {
    overview: overviewView, tasks: tasksView, task: taskView, listeners: listenersView,
    streams: streamsView, keystore: keystoreView, instances: instancesView
  };

  // ---------------------------------------------------------------- start

  const flashEl = $('flash');
  if (flashEl) flashEl.addEventListener('click', function () { flashEl.hidden = true; });
  loadSession();
})();
