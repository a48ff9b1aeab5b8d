// Statement details on hover and keyboard focus. The details are already in the page (hidden,
// and linked with aria-describedby); this only shows and places them. No HTML is built here.
(function () {
  "use strict";
  var text = document.getElementById("article-text");
  if (!text) { return; }
  var current = null;

  function segmentsOf(id) {
    return text.querySelectorAll('[data-a="' + CSS.escape(id) + '"]');
  }

  function hide() {
    if (!current) { return; }
    current.tip.hidden = true;
    segmentsOf(current.id).forEach(function (s) { s.classList.remove("active"); });
    current = null;
  }

  function show(segment) {
    var id = segment.getAttribute("data-a");
    if (current && current.id === id) { return; }
    hide();
    var tip = document.getElementById("tip-" + id);
    if (!tip) { return; }
    tip.hidden = false;
    var box = segment.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(box.left + window.scrollX, width - tip.offsetWidth - 8));
    tip.style.left = left + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    segmentsOf(id).forEach(function (s) { s.classList.add("active"); });
    current = { id: id, tip: tip };
  }

  function statementAt(node) {
    return node && node.closest ? node.closest("[data-a]") : null;
  }

  text.addEventListener("mouseover", function (event) {
    var segment = statementAt(event.target);
    if (segment) { show(segment); }
  });
  text.addEventListener("mouseout", function (event) {
    var from = statementAt(event.target), to = statementAt(event.relatedTarget);
    if (from && (!to || to.getAttribute("data-a") !== from.getAttribute("data-a"))) { hide(); }
  });
  text.addEventListener("focusin", function (event) {
    var segment = statementAt(event.target);
    if (segment) { show(segment); }
  });
  text.addEventListener("focusout", hide);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });
}());
