/* Reading preferences (适老化): text size and high contrast, remembered across pages. */
(function () {
  'use strict';
  var root = document.documentElement;
  function apply() {
    var size = localStorage.getItem('gazette.size') || 'normal';
    var contrast = localStorage.getItem('gazette.contrast') || 'normal';
    root.classList.toggle('text-large', size === 'large');
    root.classList.toggle('contrast-high', contrast === 'high');
  }
  try {
    var params = new URLSearchParams(location.search);
    if (params.get('size')) localStorage.setItem('gazette.size', params.get('size'));
    if (params.get('contrast')) localStorage.setItem('gazette.contrast', params.get('contrast'));
    apply();
  } catch (e) { /* storage may be disabled: the page still works */ }
  document.addEventListener('click', function (ev) {
    var a = ev.target.closest && ev.target.closest('a[data-pref]');
    if (!a) return;
    ev.preventDefault();
    try {
      var key = 'gazette.' + a.getAttribute('data-pref');
      var value = a.getAttribute('data-value');
      if (value === 'toggle') value = localStorage.getItem(key) === 'high' ? 'normal' : 'high';
      localStorage.setItem(key, value);
      apply();
    } catch (e) { /* ignore */ }
  });
})();
