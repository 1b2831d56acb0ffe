// Glassbox page tooltip: shows the data-tip text of the element under the mouse in a small box that
// follows the pointer. Also exposed as window.glassboxTip for canvases (attention viewer).
(function () {
  "use strict";
  var tip = document.createElement("div");
  tip.className = "gb-tip";
  tip.setAttribute("role", "tooltip");
  document.body.appendChild(tip);

  function show(text, clientX, clientY) {
    tip.textContent = text;
    tip.style.display = "block";
    move(clientX, clientY);
  }

  function move(clientX, clientY) {
    if (tip.style.display !== "block") return;
    var pad = 14, w = tip.offsetWidth, h = tip.offsetHeight;
    var x = clientX + pad, y = clientY + pad;
    if (x + w > window.innerWidth - 4) x = Math.max(4, clientX - pad - w);
    if (y + h > window.innerHeight - 4) y = Math.max(4, clientY - pad - h);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function hide() { tip.style.display = "none"; }

  document.addEventListener("mouseover", function (e) {
    var target = e.target instanceof Element ? e.target.closest("[data-tip]") : null;
    if (target) show(target.getAttribute("data-tip"), e.clientX, e.clientY);
    else hide();
  });
  document.addEventListener("mousemove", function (e) { move(e.clientX, e.clientY); });
  document.addEventListener("scroll", hide, true);

  window.glassboxTip = { show: show, move: move, hide: hide };
})();
