/* Reading preferences (适老化): text size (字号 大/中/小) and high contrast, remembered across pages;
 * and the small page helpers every page may need (打印本页, folded search filters, table cards).
 *
 * Loaded in <head> without `defer`, so the classes are on <html> before the first paint.
 *
 * Without JavaScript the controls are plain fragment links (#text-large, #text-normal,
 * #text-small, #contrast-high) to empty elements at the top of <body>; gazette.css applies the
 * matching setting through `:has(…:target)` on that page only, one setting at a time. The
 * browser's zoom and the system's high-contrast mode (forced-colors) work everywhere.
 *
 * With JavaScript this script marks <html class="js-prefs"> (which switches the :target rules
 * off), turns the links into buttons (role, aria-pressed, Space key), keeps the choice in
 * localStorage and applies it on every page: html.text-large / html.text-small /
 * html.contrast-high. If storage is unavailable the choice still applies to the current page.
 *
 * Page helpers, each only where its element is:
 * - [data-print] buttons (hidden in the HTML, shown here) print the page;
 * - details[data-fold-narrow] (the search filters) is closed on screens under 40em, so the first
 *   result is on the first screen, and always open on wider ones; its [data-filter-count] says
 *   how many filters are set;
 * - tables of four or more columns in a document body get their cells labelled with their
 *   column's heading and the class table-cards, which gazette.css lays out as cards on phones. */
(function () {
  'use strict';
  var root = document.documentElement;
  var SIZES = { large: 'text-large', normal: '', small: 'text-small' };
  // Words from the page (data-words on the tools, the theme's js.prefs table), these if
  // absent. Read when first needed: this script runs before the body is parsed.
  var DEFAULT_WORDS = { contrast_on: '已开启高对比度', contrast_off: '已关闭高对比度',
    size: '字号：{size}', size_large: '大', size_normal: '中', size_small: '小',
    filters_chosen: '（已选 {n} 项）' };
  var WORDS = null;
  function words() {
    if (WORDS) return WORDS;
    WORDS = {};
    var k;
    for (k in DEFAULT_WORDS) WORDS[k] = DEFAULT_WORDS[k];
    try {
      var el = document.querySelector('.a11y-tools[data-words]');
      var given = JSON.parse((el && el.getAttribute('data-words')) || '{}');
      for (k in given) if (Object.prototype.hasOwnProperty.call(given, k)) WORDS[k] = given[k];
    } catch (e) { /* the defaults above */ }
    return WORDS;
  }
  function say(key, values) {
    return String(words()[key]).replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values || {}, name) ? String(values[name]) : all;
    });
  }
  var KEY_SIZE = 'gazette.textSize';
  var KEY_CONTRAST = 'gazette.contrast';
  var state = { size: 'normal', contrast: false };

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: page only */ }
  }
  function read() {
    var stored = load(KEY_SIZE) || '';
    // 'text-larger' was the largest size of an earlier version: it is 大 now.
    state.size = stored === 'text-large' || stored === 'text-larger' ? 'large'
      : stored === 'text-small' ? 'small' : 'normal';
    state.contrast = load(KEY_CONTRAST) === 'high';
  }

  function controls() {
    return document.querySelectorAll ? document.querySelectorAll('[data-pref]') : [];
  }

  function apply() {
    root.classList.add('js-prefs');
    root.classList.toggle('text-large', state.size === 'large');
    root.classList.toggle('text-small', state.size === 'small');
    root.classList.remove('text-larger');
    root.classList.toggle('contrast-high', state.contrast);
    Array.prototype.forEach.call(controls(), function (el) {
      var pref = el.getAttribute('data-pref');
      var on = pref === 'contrast' ? state.contrast : pref === state.size;
      el.setAttribute('aria-pressed', on ? 'true' : 'false');
    });
  }

  function announce(text) {
    var status = document.getElementById('pref-status');
    if (!status) return;
    status.textContent = '';
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function act(el) {
    var pref = el.getAttribute('data-pref');
    if (pref === 'contrast') state.contrast = !state.contrast;
    else if (Object.prototype.hasOwnProperty.call(SIZES, pref)) state.size = pref;
    else return;
    save(KEY_SIZE, SIZES[state.size]);
    save(KEY_CONTRAST, state.contrast ? 'high' : 'normal');
    apply();
    announce(pref === 'contrast'
      ? say(state.contrast ? 'contrast_on' : 'contrast_off')
      : say('size', { size: say('size_' + state.size) }));
  }

  function target(ev) {
    var t = ev.target;
    return t && t.closest ? t.closest('[data-pref]') : null;
  }

  // Folded search filters: closed on phones, open (with no control shown) on wider screens.
  function folds() {
    var narrow = window.matchMedia ? window.matchMedia('(max-width: 39.99em)') : null;
    Array.prototype.forEach.call(document.querySelectorAll('details[data-fold-narrow]'), function (d) {
      var set = function () { d.open = !(narrow && narrow.matches); };
      set();
      if (narrow && narrow.addEventListener) narrow.addEventListener('change', set);
      var count = d.querySelector('[data-filter-count]');
      if (!count) return;
      var show = function () {
        var n = 0;
        Array.prototype.forEach.call(d.querySelectorAll('select'), function (s) { if (s.value) n += 1; });
        if (!n) {
          // search.js may not have set the selects from the URL yet: count the URL's filters.
          var params = new URLSearchParams(window.location.search);
          Array.prototype.forEach.call(d.querySelectorAll('select[name]'), function (s) {
            if (params.get(s.name)) n += 1;
          });
        }
        count.textContent = n ? say('filters_chosen', { n: n }) : '';
      };
      show();
      d.addEventListener('change', show);
    });
  }

  // Wide tables in a document body: each cell labelled with its column's heading.
  function tableCards() {
    Array.prototype.forEach.call(document.querySelectorAll('.doc-body table'), function (table) {
      var heads = table.querySelectorAll('thead th');
      if (heads.length < 4) return;
      Array.prototype.forEach.call(table.querySelectorAll('tbody tr'), function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (heads[i]) cell.setAttribute('data-label', heads[i].textContent.trim());
        });
      });
      table.classList.add('table-cards');
    });
  }

  // Links become buttons: they act on the page rather than go anywhere.
  function upgrade() {
    Array.prototype.forEach.call(controls(), function (el) {
      el.setAttribute('role', 'button');
    });
    Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), function (b) {
      b.hidden = false;
      b.addEventListener('click', function () { window.print(); });
    });
    folds();
    tableCards();
    apply();
  }

  read();
  apply();
  document.addEventListener('click', function (ev) {
    var el = target(ev);
    if (!el) return;
    ev.preventDefault();
    act(el);
  });
  document.addEventListener('keydown', function (ev) {
    var el = target(ev);
    if (!el || (ev.key !== ' ' && ev.key !== 'Spacebar')) return;
    ev.preventDefault();
    act(el);
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', upgrade);
  else upgrade();
  // Another tab changed the setting, or the page came back from the back/forward cache.
  window.addEventListener('storage', function () { read(); apply(); });
  window.addEventListener('pageshow', function () { read(); apply(); });
})();
