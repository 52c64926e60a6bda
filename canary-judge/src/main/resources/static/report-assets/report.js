/*
 * canary-judge report page: draws the diff flame graph from the JSON in #report-data.
 * Plain JavaScript, no libraries, no requests. Frame names come from profiles and are untrusted:
 * they only ever reach the page through textContent and setAttribute, never as markup.
 */
(function () {
  'use strict';

  var dataElement = document.getElementById('report-data');
  var graph = document.getElementById('flame-graph');
  if (!dataElement || !graph) {
    return;
  }
  var data = JSON.parse(dataElement.textContent);
  if (!data.flames || data.flames.length === 0) {
    return;
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var ROW = 18;
  var MIN_WIDTH = 0.5;           // px: narrower frames are not drawn (their width stays in the parent)
  var SAME = [216, 222, 228];    // --same
  var RISE = [229, 83, 75];      // --rise
  var FALL = [74, 142, 240];     // --fall
  var NEW = 'rgb(163,113,247)';  // --new
  var GONE = 'rgb(27,158,158)';  // --gone
  var MIN_ABSOLUTE = 0.001;      // below 0.1 percentage points a change is grey (the judge's minAbsoluteChange)
  var MIN_RELATIVE = 0.10;       // and within ±10 %: two JVMs of the same code differ by that much per function

  var details = document.getElementById('flame-details');
  var search = document.getElementById('flame-search');
  var matches = document.getElementById('flame-matches');
  var widthSelect = document.getElementById('flame-width');
  var typeButtons = document.getElementById('flame-types');
  var resetButton = document.getElementById('flame-reset');
  var scaleNote = document.getElementById('flame-scale');

  var flames = data.flames.map(prepare);
  var state = { flame: null, zoom: 0, width: 'both', query: '', hover: -1 };
  var charWidth = measureCharWidth();

  function prepare(f) {
    var n = f.parent.length;
    var children = [];
    var depth = new Array(n);
    for (var i = 0; i < n; i++) {
      children.push([]);
      depth[i] = i === 0 ? 0 : depth[f.parent[i]] + 1;
      if (i > 0) {
        children[f.parent[i]].push(i);
      }
    }
    var marked = {};
    (data.marks || []).forEach(function (m) {
      if (m.profileType === f.profileType) {
        marked[m.function] = true;
      }
    });
    return {
      type: f.profileType, minShare: f.minShare || 0.0005, scale: f.canaryScale || 1, names: f.names, name: f.name,
      parent: f.parent,
      bt: f.baselineTotal, bs: f.baselineSelf, ct: f.canaryTotal, cs: f.canarySelf,
      children: children, depth: depth, marked: marked, sorted: {}
    };
  }

  function frameName(f, i) {
    return f.names[f.name[i]];
  }

  function weight(f, i) {
    if (state.width === 'canary') {
      return f.ct[i];
    }
    if (state.width === 'baseline') {
      return f.bt[i];
    }
    return (f.ct[i] + f.bt[i]) / 2;
  }

  /** Children heaviest first under the current width mode, computed once per mode. */
  function sortedChildren(f, i) {
    var cache = f.sorted[state.width] || (f.sorted[state.width] = {});
    if (!cache[i]) {
      cache[i] = f.children[i].slice().sort(function (a, b) {
        return weight(f, b) - weight(f, a);
      });
    }
    return cache[i];
  }

  /**
   * What happened to a frame, as the legend names it. Rises and falls are measured against unchanged
   * code: the canary's shares divided by f.scale (see FlameDiff.canaryScale), so a new hot path that
   * shrinks every other share does not paint them all as falls.
   */
  function change(f, i) {
    var b = f.bt[i];
    var c = f.ct[i];
    if (b < f.minShare && c >= f.minShare) {
      return 'new';
    }
    if (c < f.minShare && b >= f.minShare) {
      return 'gone';
    }
    var scaled = c / f.scale;
    if (b <= 0 || Math.abs(scaled - b) < MIN_ABSOLUTE || Math.abs(scaled / b - 1) < MIN_RELATIVE) {
      return 'same';
    }
    return scaled > b ? 'rise' : 'fall';
  }

  function colour(f, i) {
    var kind = change(f, i);
    if (kind === 'new') {
      return NEW;
    }
    if (kind === 'gone') {
      return GONE;
    }
    if (kind === 'same') {
      return rgb(SAME);
    }
    // paler for smaller changes, full colour at a doubling (or halving) of the frame's share; the ramp
    // is steep so that the ±10-20 % two JVMs differ by anyway stay faint (DESIGN.md "Nested noise")
    var t = Math.min(1, Math.abs(Math.log(f.ct[i] / f.scale / f.bt[i])) / Math.LN2);
    var k = 0.15 + 0.85 * Math.pow(t, 1.25);
    var target = kind === 'rise' ? RISE : FALL;
    return rgb([0, 1, 2].map(function (j) {
      return Math.round(SAME[j] + (target[j] - SAME[j]) * k);
    }));
  }

  function rgb(c) {
    return 'rgb(' + c[0] + ',' + c[1] + ',' + c[2] + ')';
  }

  // ---- names: the same rules as ShortNames.java ----

  function visible(text) {
    return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, function (c) {
      var hex = c.codePointAt(0).toString(16).toUpperCase();
      return '<U+' + ('0000' + hex).slice(-Math.max(4, hex.length)) + '>';
    });
  }

  function abbreviate(name) {
    if (name.indexOf('.') < 0 || name.indexOf('::') >= 0 || name.indexOf(' ') >= 0) {
      return name;
    }
    var parts = name.split('.');
    var classIndex = -1;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] === '') {
        return name;
      }
      var first = parts[i].charAt(0);
      if (first !== first.toLowerCase() && first === first.toUpperCase()) {
        classIndex = i;
        break;
      }
      if (!/^[a-z0-9_]+$/.test(parts[i])) {
        return name;
      }
    }
    if (classIndex < 2) {
      return name;
    }
    var out = [];
    for (var j = 0; j < parts.length; j++) {
      out.push(j < classIndex - 1 ? Array.from(parts[j])[0] : parts[j]);
    }
    return out.join('.');
  }

  /** The longest of full, abbreviated, Class.method, or a cut Class.method that fits in px pixels. */
  function label(name, px) {
    var room = Math.floor((px - 6) / charWidth);
    if (room < 3) {
      return '';
    }
    var full = visible(name);
    if (full.length <= room) {
      return full;
    }
    var short = visible(abbreviate(name));
    if (short.length <= room) {
      return short;
    }
    var parts = short.split('.');
    var classMethod = parts.length >= 2 ? parts.slice(-2).join('.') : short;
    if (classMethod.length <= room) {
      return classMethod;
    }
    return classMethod.slice(0, room - 1) + '…';
  }

  function measureCharWidth() {
    var canvas = document.createElement('canvas');
    var context = canvas.getContext('2d');
    if (!context) {
      return 6.6;
    }
    context.font = '11px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace';
    return context.measureText('MMMMMMMMMM').width / 10 || 6.6;
  }

  function percent(share) {
    var p = share * 100;
    if (p !== 0 && Math.abs(p) < 0.01) {
      return p.toFixed(4) + ' %';
    }
    return p.toFixed(2) + ' %';
  }

  // ---- drawing ----

  function svgElement(name, attributes) {
    var element = document.createElementNS(SVG_NS, name);
    Object.keys(attributes).forEach(function (key) {
      element.setAttribute(key, String(attributes[key]));
    });
    return element;
  }

  function render() {
    var f = state.flame;
    var width = Math.max(320, graph.clientWidth || 1200);
    var frames = [];
    var chain = [];
    for (var a = state.zoom; a >= 0; a = f.parent[a]) {
      chain.unshift(a);
    }
    for (var c = 0; c < chain.length - 1; c++) {
      frames.push({ node: chain[c], x: 0, w: width, depth: c, ancestor: true });
    }
    var rootWeight = weight(f, state.zoom) || 1;
    var scale = width / rootWeight;
    var stack = [{ node: state.zoom, x: 0, depth: chain.length - 1 }];
    var maxDepth = 0;
    while (stack.length > 0) {
      var item = stack.pop();
      var w = weight(f, item.node) * scale;
      if (w < MIN_WIDTH) {
        continue;
      }
      frames.push({ node: item.node, x: item.x, w: w, depth: item.depth, ancestor: false });
      maxDepth = Math.max(maxDepth, item.depth);
      var x = item.x;
      var kids = sortedChildren(f, item.node);
      for (var k = 0; k < kids.length; k++) {
        stack.push({ node: kids[k], x: x, depth: item.depth + 1 });
        x += weight(f, kids[k]) * scale;
      }
    }
    var svg = svgElement('svg', {
      width: width, height: (maxDepth + 1) * ROW + 2, role: 'img',
      'aria-label': 'diff flame graph of ' + f.type
    });
    frames.forEach(function (frame) {
      var name = frameName(f, frame.node);
      var g = svgElement('g', { 'class': 'frame', 'data-node': frame.node });
      if (frame.ancestor) {
        g.classList.add('ancestor');
      }
      if (f.marked[name]) {
        g.classList.add('marked');
      }
      if (state.query && name.toLowerCase().indexOf(state.query) >= 0) {
        g.classList.add('match');
      }
      g.appendChild(svgElement('rect', {
        x: frame.x.toFixed(2), y: frame.depth * ROW, width: Math.max(0, frame.w - 0.5).toFixed(2), height: ROW - 1,
        fill: colour(f, frame.node)
      }));
      var text = label(name, frame.w);
      if (text) {
        var t = svgElement('text', { x: (frame.x + 3).toFixed(2), y: frame.depth * ROW + 13 });
        t.textContent = text;
        g.appendChild(t);
      }
      svg.appendChild(g);
    });
    while (graph.firstChild) {
      graph.removeChild(graph.firstChild);
    }
    graph.appendChild(svg);
    graph.classList.toggle('searching', state.query !== '');
    graph.setAttribute('data-zoom', String(state.zoom));
    graph.setAttribute('data-type', f.type);
    graph.setAttribute('data-frames', String(frames.length));
  }

  // ---- numbers for one frame ----

  function show(i) {
    var f = state.flame;
    var name = frameName(f, i);
    while (details.firstChild) {
      details.removeChild(details.firstChild);
    }
    var title = document.createElement('div');
    title.className = 'name';
    title.textContent = visible(name);
    details.appendChild(title);
    var kind = change(f, i);
    var words = { 'new': 'new in canary', gone: 'gone in canary', same: 'unchanged', rise: 'rose', fall: 'fell' }[kind];
    var ratio = f.ct[i] / f.scale / f.bt[i];
    var relative = f.bt[i] > 0 && kind !== 'gone'
      ? ' ' + (ratio >= 1 ? '+' : '') + ((ratio - 1) * 100).toFixed(1) + ' %' + (f.scale !== 1 ? ' against unchanged code' : '')
      : '';
    var numbers = document.createElement('div');
    numbers.className = 'numbers';
    numbers.textContent = 'canary ' + percent(f.ct[i]) + ' of ' + f.type + ' (self ' + percent(f.cs[i]) + ')'
      + ' · baseline ' + percent(f.bt[i]) + ' (self ' + percent(f.bs[i]) + ')'
      + ' · ' + words + relative
      + (f.marked[name] ? ' · flagged by the judge' : '');
    details.appendChild(numbers);
  }

  function frameOf(event) {
    var target = event.target;
    var g = target && target.closest ? target.closest('g.frame') : null;
    return g ? Number(g.getAttribute('data-node')) : -1;
  }

  graph.addEventListener('mousemove', function (event) {
    var node = frameOf(event);
    if (node >= 0 && node !== state.hover) {
      state.hover = node;
      graph.querySelectorAll('g.hover').forEach(function (g) {
        g.classList.remove('hover');
      });
      var g = event.target.closest('g.frame');
      g.classList.add('hover');
      show(node);
    }
  });

  graph.addEventListener('click', function (event) {
    var node = frameOf(event);
    if (node < 0) {
      return;
    }
    state.zoom = node;
    state.hover = -1;
    render();
    show(node);
  });

  // ---- search ----

  function applySearch() {
    state.query = search.value.trim().toLowerCase();
    render();
    if (!state.query) {
      matches.textContent = '';
      return;
    }
    var f = state.flame;
    var count = 0;
    var canary = 0;
    var baseline = 0;
    var inMatch = new Array(f.parent.length);
    for (var i = 0; i < f.parent.length; i++) {
      var hit = frameName(f, i).toLowerCase().indexOf(state.query) >= 0;
      var above = i > 0 && inMatch[f.parent[i]];
      inMatch[i] = hit || above;
      if (hit) {
        count++;
        if (!above) { // count each stack once: only the outermost match adds its share
          canary += f.ct[i];
          baseline += f.bt[i];
        }
      }
    }
    matches.textContent = count === 0 ? 'no frame matches'
      : count + (count === 1 ? ' frame' : ' frames') + ' · canary ' + percent(canary) + ' · baseline ' + percent(baseline);
  }

  search.addEventListener('input', applySearch);

  // ---- controls ----

  function selectFlame(index) {
    state.flame = flames[index];
    state.zoom = 0;
    state.hover = -1;
    Array.prototype.forEach.call(typeButtons.children, function (button, j) {
      button.setAttribute('aria-pressed', String(j === index));
    });
    scaleNote.textContent = (state.flame.scale === 1 ? 'Colours compare canary with baseline shares'
      : 'Colours compare canary shares ÷ ' + state.flame.scale.toFixed(2) + ' (what unchanged code kept) with baseline shares')
      + '; a faint colour alone can be pod-to-pod noise, outlined frames are what the judge found.';
    applySearch();
  }

  flames.forEach(function (f, index) {
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = f.type;
    button.addEventListener('click', function () {
      selectFlame(index);
    });
    typeButtons.appendChild(button);
  });

  widthSelect.addEventListener('change', function () {
    state.width = widthSelect.value;
    render();
  });

  resetButton.addEventListener('click', function () {
    state.zoom = 0;
    render();
  });

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      state.zoom = 0;
      render();
    }
  });

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(render, 100);
  });

  var lead = 0;
  flames.forEach(function (f, index) {
    if (f.type === data.lead) {
      lead = index;
    }
  });
  selectFlame(lead);
}());
