// Attention viewer (AttentionViewer.Html). Reads the JSON in #gb-attn-data, draws a thumbnail per head
// and the selected head's [query, key] matrix. The matrix canvas is only as large as the visible part
// of the scroll box and is repainted from a one-pixel-per-cell bitmap on scroll, so long prompts cost
// one bitmap per head, not one element per cell. Token labels are DOM text, thinned when cells are small.
(function () {
  "use strict";
  var root = document.getElementById("gb-attn");
  var data = JSON.parse(document.getElementById("gb-attn-data").textContent);
  var L = data.layers.length, H = data.heads.length, Q = data.queries, K = data.keys, offset = K - Q;
  var values = decode(data.values);
  var lut = colorTable(data.scale.stops);
  var BLANK = [236, 236, 236];
  var ZOOMS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40];
  var FONT = "11px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

  var layer = 0, head = 0, cell = 12, hover = null, textQuery = -1;
  var bitmaps = [];
  var keyEls = [], queryEls = [];

  var scroll = root.querySelector(".gb-scroll");
  var grid = root.querySelector(".gb-grid");
  var keysBox = root.querySelector(".gb-keys");
  var queriesBox = root.querySelector(".gb-queries");
  var canvas = root.querySelector(".gb-matrix");
  var ctx = canvas.getContext("2d");
  var headButtons = Array.prototype.slice.call(root.querySelectorAll(".gb-head"));
  var tokenSpans = Array.prototype.slice.call(root.querySelectorAll(".gb-tok"));
  var layerSelect = root.querySelector(".gb-layer");

  // Room for the labels: the longest label, measured in the label font.
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT;
  var widest = 0;
  for (var t = 0; t < K; t++) widest = Math.max(widest, measure.measureText(data.labels[t]).width);
  var labelRoom = Math.ceil(Math.min(Math.max(widest, 40), 160)) + 16;

  function decode(base64) {
    var binary = atob(base64), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new Float32Array(bytes.buffer);
  }

  // 256 colours along the scale's stops (linear in sRGB between stops, like the SVG colour bar).
  function colorTable(stops) {
    var rgb = stops.map(function (s) {
      var hex = s[1];
      return [s[0], parseInt(hex.substr(1, 2), 16), parseInt(hex.substr(3, 2), 16), parseInt(hex.substr(5, 2), 16)];
    });
    var table = [];
    for (var i = 0; i < 256; i++) {
      var t = i / 255, k = 1;
      while (k < rgb.length - 1 && t > rgb[k][0]) k++;
      var a = rgb[k - 1], b = rgb[k], f = (t - a[0]) / (b[0] - a[0] || 1);
      f = Math.max(0, Math.min(1, f));
      table.push([Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f), Math.round(a[3] + (b[3] - a[3]) * f)]);
    }
    return table;
  }

  function value(l, h, i, j) { return values[((l * H + h) * Q + i) * K + j]; }

  function colorOf(v) {
    if (!isFinite(v)) return BLANK;
    var t = (v - data.scale.min) / (data.scale.max - data.scale.min);
    return lut[Math.round(Math.max(0, Math.min(1, t)) * 255)];
  }

  function format(v) {
    if (isNaN(v)) return "NaN";
    if (v === -Infinity) return "masked (-inf)";
    if (v === Infinity) return "+inf";
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a < 1e-3 || a >= 1e6) return v.toExponential(3).replace(/\.?0+e/, "e").replace("e+", "e");
    return String(parseFloat(v.toPrecision(4)));
  }

  // One bitmap per head of the current layer: pixel (j, i) is cell (query i, key j).
  function renderLayer() {
    bitmaps = [];
    for (var h = 0; h < H; h++) {
      var bitmap = document.createElement("canvas");
      bitmap.width = K;
      bitmap.height = Q;
      var bctx = bitmap.getContext("2d");
      var image = bctx.createImageData(K, Q), px = image.data;
      for (var i = 0; i < Q; i++) {
        for (var j = 0; j < K; j++) {
          var c = colorOf(value(layer, h, i, j)), p = (i * K + j) * 4;
          px[p] = c[0]; px[p + 1] = c[1]; px[p + 2] = c[2]; px[p + 3] = 255;
        }
      }
      bctx.putImageData(image, 0, 0);
      bitmaps.push(bitmap);
    }
    headButtons.forEach(function (button, h) { drawThumbnail(button.querySelector("canvas"), h); });
  }

  // A head's thumbnail: the whole matrix in 64 px. When it has more cells than pixels, each pixel shows
  // the largest value of its block, so a sharp stripe stays visible instead of being averaged away.
  function drawThumbnail(thumb, h) {
    var tctx = thumb.getContext("2d"), s = Math.min(thumb.width / K, thumb.height / Q);
    tctx.fillStyle = "#ffffff";
    tctx.fillRect(0, 0, thumb.width, thumb.height);
    if (s >= 1) {
      tctx.imageSmoothingEnabled = false;
      tctx.drawImage(bitmaps[h], 0, 0, K, Q, 0, 0, K * s, Q * s);
      return;
    }
    var w = Math.max(1, Math.round(K * s)), ht = Math.max(1, Math.round(Q * s));
    var image = tctx.createImageData(w, ht), px = image.data;
    for (var y = 0; y < ht; y++) {
      var i0 = Math.floor(y / s), i1 = Math.min(Q, Math.max(i0 + 1, Math.floor((y + 1) / s)));
      for (var x = 0; x < w; x++) {
        var j0 = Math.floor(x / s), j1 = Math.min(K, Math.max(j0 + 1, Math.floor((x + 1) / s)));
        var best = NaN;
        for (var i = i0; i < i1; i++)
          for (var j = j0; j < j1; j++) {
            var v = value(layer, h, i, j);
            if (isFinite(v) && (isNaN(best) || v > best)) best = v;
          }
        var c = colorOf(best), p = (y * w + x) * 4;
        px[p] = c[0]; px[p + 1] = c[1]; px[p + 2] = c[2]; px[p + 3] = 255;
      }
    }
    tctx.putImageData(image, 0, 0);
  }

  function stride() {
    var nice = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
    for (var k = 0; k < nice.length; k++) if (nice[k] * cell >= 12) return nice[k];
    return 1000;
  }

  function layout() {
    var keyRoom = labelRoom + 6;
    grid.style.gridTemplateColumns = labelRoom + "px " + K * cell + "px";
    grid.style.gridTemplateRows = keyRoom + "px " + Q * cell + "px";
    canvas.style.top = keyRoom + "px";
    canvas.style.left = labelRoom + "px";
    var every = stride();
    keysBox.textContent = "";
    queriesBox.textContent = "";
    keyEls = [];
    queryEls = [];
    for (var j = 0; j < K; j++) {
      if (j % every !== 0) { keyEls.push(null); continue; }
      var key = document.createElement("div");
      key.className = "gb-key";
      key.textContent = data.labels[j];
      key.style.left = (j * cell + cell / 2 - 7) + "px";
      key.style.maxHeight = (keyRoom - 8) + "px";
      keysBox.appendChild(key);
      keyEls.push(key);
    }
    for (var i = 0; i < Q; i++) {
      if ((i + offset) % every !== 0) { queryEls.push(null); continue; }
      var query = document.createElement("div");
      query.className = "gb-query";
      query.textContent = data.labels[i + offset];
      query.style.top = (i * cell + cell / 2 - 7) + "px";
      query.style.maxWidth = (labelRoom - 10) + "px";
      queriesBox.appendChild(query);
      queryEls.push(query);
    }
    resize();
  }

  // The canvas covers only the visible part of the cells.
  function resize() {
    var keyRoom = labelRoom + 6;
    var width = Math.max(1, Math.min(K * cell, scroll.clientWidth - labelRoom));
    var height = Math.max(1, Math.min(Q * cell, scroll.clientHeight - keyRoom));
    var ratio = window.devicePixelRatio || 1;
    canvas.style.width = width + "px";
    canvas.style.height = height + "px";
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    draw();
  }

  function origin() {
    var width = canvas.width / (window.devicePixelRatio || 1), height = canvas.height / (window.devicePixelRatio || 1);
    return {
      x: Math.max(0, Math.min(scroll.scrollLeft, K * cell - width)),
      y: Math.max(0, Math.min(scroll.scrollTop, Q * cell - height)),
      width: width,
      height: height
    };
  }

  function draw() {
    var ratio = window.devicePixelRatio || 1, o = origin();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, o.width, o.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(bitmaps[head], 0, 0, K, Q, -o.x, -o.y, K * cell, Q * cell);
    if (cell >= 14) {
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      var j0 = Math.floor(o.x / cell), j1 = Math.min(K, Math.ceil((o.x + o.width) / cell));
      var i0 = Math.floor(o.y / cell), i1 = Math.min(Q, Math.ceil((o.y + o.height) / cell));
      for (var j = j0; j <= j1; j++) { ctx.moveTo(j * cell - o.x + 0.5, 0); ctx.lineTo(j * cell - o.x + 0.5, o.height); }
      for (var i = i0; i <= i1; i++) { ctx.moveTo(0, i * cell - o.y + 0.5); ctx.lineTo(o.width, i * cell - o.y + 0.5); }
      ctx.stroke();
    }
    if (hover) {
      ctx.strokeStyle = "#111111";
      ctx.lineWidth = 2;
      ctx.strokeRect(hover.j * cell - o.x + 1, hover.i * cell - o.y + 1, Math.max(cell - 2, 2), Math.max(cell - 2, 2));
    }
  }

  var pending = false;
  function redrawSoon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  }

  function highlight(i, j) {
    keyEls.forEach(function (el, k) { if (el) el.classList.toggle("gb-on", k === j); });
    queryEls.forEach(function (el, k) { if (el) el.classList.toggle("gb-on", k === i); });
  }

  // The prompt coloured by where query position `query` (a key index, >= offset) attends.
  function colorText(query) {
    textQuery = query;
    tokenSpans.forEach(function (span, j) {
      span.classList.toggle("gb-query-tok", j === query);
      if (query < offset) { span.style.background = ""; span.style.color = ""; return; }
      var v = value(layer, head, query - offset, j);
      if (j > query && v === 0) { span.style.background = ""; span.style.color = ""; return; }
      var c = colorOf(v);
      span.style.background = "rgb(" + c[0] + "," + c[1] + "," + c[2] + ")";
      span.style.color = (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) < 110 ? "#ffffff" : "";
    });
  }

  function headName() {
    return (L > 1 ? data.layers[layer] + " · " : "") + data.heads[head];
  }

  function quoted(position) { return "\"" + data.tokens[position] + "\""; }

  canvas.addEventListener("mousemove", function (e) {
    var box = canvas.getBoundingClientRect(), o = origin();
    var j = Math.floor((e.clientX - box.left + o.x) / cell), i = Math.floor((e.clientY - box.top + o.y) / cell);
    if (i < 0 || i >= Q || j < 0 || j >= K) return;
    if (!hover || hover.i !== i || hover.j !== j) {
      hover = { i: i, j: j };
      highlight(i, j);
      colorText(i + offset);
      redrawSoon();
    }
    var v = value(layer, head, i, j);
    window.glassboxTip.show(headName() + "\nquery " + (i + offset) + "  " + quoted(i + offset) +
      "\nkey " + j + "  " + quoted(j) + "\n" + data.valueName + " " + format(v), e.clientX, e.clientY);
  });

  canvas.addEventListener("mouseleave", function () {
    hover = null;
    highlight(-1, -1);
    colorText(-1);
    window.glassboxTip.hide();
    redrawSoon();
  });

  tokenSpans.forEach(function (span, position) {
    span.addEventListener("mouseenter", function (e) {
      colorText(position);
      var text = position < offset ? "position " + position + " " + quoted(position) + " (not a query)"
        : "query " + position + "  " + quoted(position) + "\n" + headName() + ": the prompt is coloured by its " + data.valueName;
      window.glassboxTip.show(text, e.clientX, e.clientY);
    });
    span.addEventListener("mouseleave", function () { colorText(-1); window.glassboxTip.hide(); });
  });

  function selectHead(h) {
    head = (h + H) % H;
    headButtons.forEach(function (button, k) { button.setAttribute("aria-selected", k === head ? "true" : "false"); });
    if (textQuery >= 0) colorText(textQuery);
    remember();
    draw();
  }

  function selectLayer(l) {
    layer = Math.max(0, Math.min(L - 1, l));
    if (layerSelect) layerSelect.value = String(layer);
    renderLayer();
    if (textQuery >= 0) colorText(textQuery);
    remember();
    draw();
  }

  // The selection lives in the address (#layer=1&head=3), so a link or a reload shows the same head.
  function remember() {
    if (window.history && history.replaceState) history.replaceState(null, "", "#layer=" + layer + "&head=" + head);
  }

  function recall() {
    var match = /layer=(\d+)/.exec(location.hash), h = /head=(\d+)/.exec(location.hash);
    if (match && Number(match[1]) < L) layer = Number(match[1]);
    if (h && Number(h[1]) < H) head = Number(h[1]);
    if (layerSelect) layerSelect.value = String(layer);
    headButtons.forEach(function (button, k) { button.setAttribute("aria-selected", k === head ? "true" : "false"); });
  }

  headButtons.forEach(function (button, h) { button.addEventListener("click", function () { selectHead(h); }); });

  if (layerSelect) {
    layerSelect.addEventListener("change", function () { selectLayer(Number(layerSelect.value)); });
  }

  function fitCell() {
    var width = Math.max(100, root.clientWidth - labelRoom - 4);
    var height = Math.max(120, window.innerHeight * 0.74 - labelRoom - 10);
    return Math.min(width / K, height / Q);
  }

  function zoomTo(size) {
    cell = size;
    layout();
  }

  root.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var how = button.getAttribute("data-zoom"), k = ZOOMS.indexOf(cell);
      if (how === "in") zoomTo(ZOOMS[Math.min(ZOOMS.length - 1, k + 1)]);
      else if (how === "out") zoomTo(ZOOMS[Math.max(0, k - 1)]);
      else zoomTo(largestZoomAtMost(fitCell()));
    });
  });

  function largestZoomAtMost(size) {
    var best = ZOOMS[0];
    ZOOMS.forEach(function (z) { if (z <= size) best = z; });
    return best;
  }

  document.addEventListener("keydown", function (e) {
    if (e.target instanceof HTMLSelectElement || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowRight") { selectHead(head + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { selectHead(head - 1); e.preventDefault(); }
  });

  scroll.addEventListener("scroll", redrawSoon);
  window.addEventListener("resize", resize);

  // Start readable: cells of at least 12 px (labels legible), smaller only if the whole matrix fits anyway.
  recall();
  renderLayer();
  cell = largestZoomAtMost(Math.max(12, Math.min(fitCell(), 32)));
  layout();
  root.setAttribute("data-ready", "true");
})();
