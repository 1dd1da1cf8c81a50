// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add('js-enabled');
document.addEventListener('DOMContentLoaded', function () {
  var summary = document.querySelector('[data-module="error-summary"]');
  if (summary) summary.focus();
  document.querySelectorAll('[data-module="confirm"]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      if (!window.confirm(form.getAttribute('data-confirm') || '')) e.preventDefault();
    });
  });
});
