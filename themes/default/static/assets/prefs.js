/* Reading preferences (适老化): text size (A−/A+) and high contrast, remembered across pages.
 *
 * Loaded in <head> without `defer`, so the classes are on <html> before the first paint.
 *
 * Without JavaScript the controls are plain fragment links (#text-normal, #text-large,
 * #contrast-high) to empty elements at the top of <body>; gazette.css applies the matching
 * setting through `:has(…:target)` on that page only, one setting at a time. The browser's zoom
 * and the system's high-contrast mode (forced-colors) work everywhere.
 *
 * With JavaScript this script marks <html class="js-prefs"> (which switches the :target rules
 * off), turns the links into buttons (role, aria-pressed, Space key), keeps the choice in
 * localStorage and applies it on every page: html.text-large / html.text-larger /
 * html.contrast-high. If storage is unavailable the choice still applies to the current page. */
(function () {
  'use strict';
  var root = document.documentElement;
  var SIZES = ['', 'text-large', 'text-larger'];
  var SIZE_NAMES = ['标准', '大', '特大'];
  var KEY_SIZE = 'gazette.textSize';
  var KEY_CONTRAST = 'gazette.contrast';
  var state = { size: 0, contrast: false };

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: page only */ }
  }
  function read() {
    var size = SIZES.indexOf(load(KEY_SIZE) || '');
    state.size = size < 0 ? 0 : size;
    state.contrast = load(KEY_CONTRAST) === 'high';
  }

  function controls() {
    return document.querySelectorAll ? document.querySelectorAll('[data-pref]') : [];
  }

  function apply() {
    root.classList.add('js-prefs');
    root.classList.toggle('text-large', state.size === 1);
    root.classList.toggle('text-larger', state.size === 2);
    root.classList.toggle('contrast-high', state.contrast);
    Array.prototype.forEach.call(controls(), function (el) {
      var pref = el.getAttribute('data-pref');
      if (pref === 'contrast') el.setAttribute('aria-pressed', state.contrast ? 'true' : 'false');
      if (pref === 'larger') el.setAttribute('aria-disabled', state.size === SIZES.length - 1 ? 'true' : 'false');
      if (pref === 'smaller') el.setAttribute('aria-disabled', state.size === 0 ? 'true' : 'false');
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
    if (pref === 'larger') state.size = Math.min(SIZES.length - 1, state.size + 1);
    else if (pref === 'smaller') state.size = Math.max(0, state.size - 1);
    else if (pref === 'contrast') state.contrast = !state.contrast;
    else return;
    save(KEY_SIZE, SIZES[state.size]);
    save(KEY_CONTRAST, state.contrast ? 'high' : 'normal');
    apply();
    announce(pref === 'contrast'
      ? (state.contrast ? '已开启高对比度' : '已关闭高对比度')
      : '字号:' + SIZE_NAMES[state.size]);
  }

  function target(ev) {
    var t = ev.target;
    return t && t.closest ? t.closest('[data-pref]') : null;
  }

  // Links become buttons: they act on the page rather than go anywhere.
  function upgrade() {
    Array.prototype.forEach.call(controls(), function (el) {
      el.setAttribute('role', 'button');
    });
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
