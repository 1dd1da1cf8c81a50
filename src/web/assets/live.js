// Live question session: subscribes to the page's event stream and adds new questions and
// answers as they arrive, and takes answered or hidden questions off the list of older ones
// still waiting. Text is set with textContent only. Without this script the page is an
// ordinary page with a refresh link.
(function () {
  'use strict';
  var root = document.getElementById('xs-live');
  if (!root || typeof window.EventSource !== 'function') return;
  var d = root.dataset;
  // Older pages (?before=) do not follow the stream: new questions belong on the newest page.
  if (!d.events) return;
  var queue = document.getElementById('xs-live-queue');
  var answered = document.getElementById('xs-live-answered');
  var status = document.getElementById('xs-live-status');
  var url = d.events + '?lastEventId=' + encodeURIComponent(d.lastEventId || '0');
  var es = new EventSource(url);
  es.onopen = function () { if (status) status.textContent = d.liveOn || ''; };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function parse(ev) { try { return JSON.parse(ev.data); } catch (e) { return null; } }
  function dropEmpty() { var p = root.querySelector('.xs-live-empty'); if (p) p.remove(); }

  // The older questions still waiting (on the newest page, when there are any): `data-total`
  // of them have an id below `data-below`; the list shows the longest-waiting few.
  var waiting = document.getElementById('xs-live-waiting-section');
  var gone = {};
  // A question left the queue (answered or hidden; `wasQueued` from the event, when it says).
  function leftQueue(qid, wasQueued) {
    if (!waiting || gone[qid]) return;
    var w = waiting.dataset;
    var item = document.getElementById('w-' + qid);
    // Listed: it was waiting. Not listed: only the event can tell (it may be on a later page of
    // the list); a question shown among the newest is never counted here.
    var counted = item ? true : wasQueued === true && !document.getElementById('q-' + qid) && qid < Number(w.below);
    if (item) item.remove();
    if (!counted) return;
    gone[qid] = true;
    var total = Math.max(0, Number(w.total) - 1);
    w.total = String(total);
    if (total === 0) {
      waiting.remove();
      waiting = null;
      return;
    }
    var note = document.getElementById('xs-live-waiting-note');
    if (note) note.textContent = total === 1 ? (w.noteOne || '') : (w.noteMany || '').replace('{n}', String(total));
  }

  es.addEventListener('question', function (ev) {
    var q = parse(ev);
    if (!q || document.getElementById('q-' + q.id)) return;
    dropEmpty();
    var li = el('li');
    li.id = 'q-' + q.id;
    li.dataset.questionId = String(q.id);
    var meta = el('p');
    meta.appendChild(el('strong', '', 'xs-live-flag'));
    meta.appendChild(el('span', d['author' + q.authorKind.charAt(0).toUpperCase() + q.authorKind.slice(1)] || '', 'xs-live-author'));
    meta.appendChild(document.createTextNode(' · ' + new Date(q.createdAt).toLocaleString()));
    li.appendChild(meta);
    li.appendChild(el('p', q.body, 'xs-live-body'));
    li.appendChild(el('ul', undefined, 'xs-live-answers'));
    queue.appendChild(li);
  });

  es.addEventListener('answer', function (ev) {
    var a = parse(ev);
    if (!a || document.getElementById('a-' + a.id)) return;
    leftQueue(a.questionId, a.wasQueued);
    // The newest page holds the newest questions only: an answer to an older one is not shown here.
    var li = document.getElementById('q-' + a.questionId);
    if (!li) return;
    var list = li.querySelector('.xs-live-answers');
    if (!list) return;
    var item = el('li');
    item.id = 'a-' + a.id;
    item.appendChild(el('strong', (d.answerLabel || '{}').replace('{}', a.bodyName || '')));
    item.appendChild(document.createTextNode('：'));
    item.appendChild(el('span', a.body));
    list.appendChild(item);
    li.classList.remove('xs-live-asking');
    var flag = li.querySelector('.xs-live-flag');
    if (flag) flag.textContent = '';
    if (li.parentNode !== answered) answered.appendChild(li);
  });

  es.addEventListener('asking', function (ev) {
    var m = parse(ev);
    if (!m) return;
    var prev = root.querySelectorAll('.xs-live-asking');
    for (var i = 0; i < prev.length; i++) {
      prev[i].classList.remove('xs-live-asking');
      var f = prev[i].querySelector('.xs-live-flag');
      if (f) f.textContent = '';
    }
    var li = document.getElementById('q-' + m.questionId);
    if (!li || li.parentNode !== queue) return;
    li.classList.add('xs-live-asking');
    var flag = li.querySelector('.xs-live-flag');
    if (flag) flag.textContent = (d.askingLabel || '') + ' · ';
  });

  es.addEventListener('hidden', function (ev) {
    var m = parse(ev);
    if (m) leftQueue(m.questionId, m.wasQueued);
    var li = m && document.getElementById('q-' + m.questionId);
    // Organisers see hidden questions marked after a refresh; everyone else sees a trace in its
    // place (hidden, when, the category), as the page itself shows it, without the text.
    if (!li || li.querySelector('form')) return;
    var reason = m.category ? d['hide' + m.category.charAt(0).toUpperCase() + m.category.slice(1)] : '';
    var time = m.hiddenAt ? new Date(m.hiddenAt).toLocaleString() : '';
    var text = reason ? (d.hiddenTrace || '').replace('{time}', time).replace('{reason}', reason) : (d.hiddenTraceBare || '').replace('{time}', time);
    var trace = el('li');
    trace.id = li.id;
    trace.className = 'xs-live-hidden';
    trace.appendChild(el('p', text, 'xs-muted'));
    li.parentNode.replaceChild(trace, li);
  });

  es.addEventListener('reload', function () { window.location.reload(); });
})();
