/* Mounts the boxes that the layout leaves out (hosting/deferred.py).
 *
 * Below the first boxes the layout holds placeholders
 * (<div class="deferred-boxes" data-deferred-src="_deferred-boxes.<hash>.json">) that show
 * each box's heading only (same tag, id and text, tabindex=-1), so headings, the contents
 * list and a screen reader's list of headings work before the boxes are there. Their
 * component trees come from that file (fetched once, cached for good) and replace them
 * (dash_clientside.set_props on their parent), in page order:
 *  - when the reader shows intent (scrolls, types, points, touches), in the next idle
 *    period, or when a placeholder enters the window (a screen reader moving to a heading
 *    scrolls it into view);
 *  - all at once before printing (beforeprint, Ctrl/Cmd+P), for find-in-page (Ctrl/Cmd+F),
 *    for in-page links (#box-7, then the target is scrolled into view), when focus reaches
 *    a heading in a placeholder (focus then moves to the box's own heading), and for a
 *    shared link with a query string (its callbacks read the boxes).
 * The heading nearest the top of the window stays where it is while the boxes replace
 * their placeholders (a box is taller or shorter than its placeholder).
 * A callback that Dash would have fired when the page loaded (prevent_initial_call=False)
 * is fired when its outputs (or, without outputs, its inputs) are mounted. */
(function () {
  "use strict";

  var SELECTOR = "[data-deferred-src]";
  var INTENT_EVENTS = ["scroll", "wheel", "touchstart", "pointerdown", "pointermove", "keydown"];
  var trees = null;
  var fetching = null;
  var mounted = {};
  var wantAll = false;
  var background = false;
  var focusAfterMount = null;

  function placeholders() {
    return Array.prototype.slice.call(document.querySelectorAll(SELECTOR));
  }

  function pending() {
    return placeholders().filter(function (element) {
      return !mounted[element.id];
    });
  }

  function requestPrefix() {
    try {
      var config = JSON.parse(document.getElementById("_dash-config").textContent);
      return config.requests_pathname_prefix || "/";
    } catch (error) {
      return "/";
    }
  }

  function loadTrees(source) {
    if (!fetching) {
      fetching = fetch(requestPrefix() + source, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("deferred boxes: " + response.status + " for " + source);
          }
          return response.json();
        })
        .then(function (loaded) {
          trees = loaded;
          if (wantAll) {
            mountAll();
          } else if (background) {
            mountInIdleTime();
          }
          observe();
        });
    }
    return fetching;
  }

  /* The string ids in a component tree (as JSON from the layout). */
  function idsIn(node, found) {
    if (Array.isArray(node)) {
      node.forEach(function (child) {
        idsIn(child, found);
      });
    } else if (node && typeof node === "object" && node.props) {
      if (typeof node.props.id === "string") {
        found[node.props.id] = true;
      }
      Object.keys(node.props).forEach(function (name) {
        var value = node.props[name];
        if (value && typeof value === "object") {
          idsIn(value, found);
        }
      });
    }
    return found;
  }

  /* Fire the initial call of each callback whose outputs (inputs for one without
   * outputs) just arrived, as Dash does for the layout it gets at load. */
  function fireInitialCalls(ids) {
    var store = (window.dash_stores || [])[0];
    if (!store) {
      return;
    }
    var graphs = store.getState().graphs || {};
    var resolve = function (paths) {
      return function (dependency) {
        var path = paths.strs[dependency.id];
        return path ? [{ id: dependency.id, property: dependency.property, path: path }] : [];
      };
    };
    var requested = (graphs.callbacks || [])
      .filter(function (callback) {
        var deps = callback.noOutput ? callback.inputs : callback.outputs;
        var plain = callback.inputs.concat(callback.outputs, callback.state).every(function (d) {
          return typeof d.id === "string";
        });
        return (
          !callback.prevent_initial_call &&
          plain &&
          deps.some(function (d) {
            return ids[d.id];
          })
        );
      })
      .map(function (callback) {
        return {
          callback: callback,
          anyVals: "",
          resolvedId: callback.output,
          getOutputs: function (paths) {
            return callback.outputs.map(resolve(paths));
          },
          getInputs: function (paths) {
            return callback.inputs.map(resolve(paths));
          },
          getState: function (paths) {
            return callback.state.map(resolve(paths));
          },
          changedPropIds: {},
          initialCall: true,
        };
      });
    if (requested.length) {
      store.dispatch({ type: "Callbacks.AddRequested", payload: requested });
    }
  }

  /* The placeholders' boxes take their places among their parent's children, so the
   * page's elements are exactly those of a layout that held every box. */
  function mountInto(parent, elements) {
    var api = window.dash_component_api;
    var layout = api && api.getLayout(parent);
    if (!layout) {
      return;
    }
    var replace = {};
    elements.forEach(function (element) {
      if (trees[element.id]) {
        replace[element.id] = trees[element.id];
        mounted[element.id] = true;
      }
    });
    var children = [];
    layout.props.children.forEach(function (child) {
      var id = child && child.props && child.props.id;
      if (id && replace[id]) {
        children = children.concat(replace[id]);
      } else {
        children.push(child); // the same object: React leaves what is drawn alone
      }
    });
    var flush = window.ReactDOM && window.ReactDOM.flushSync;
    var update = function () {
      window.dash_clientside.set_props(parent, { children: children });
    };
    // Synchronously: printing and find-in-page look at the page right after the event.
    if (flush) {
      flush(update);
    } else {
      update();
    }
    var ids = {};
    Object.keys(replace).forEach(function (id) {
      idsIn(replace[id], ids);
    });
    fireInitialCalls(ids);
  }

  /* The placeholder heading the reader is at, and its place in the window: the first one
   * inside the window, else the last one above it whose box reaches into the window. The
   * box's own heading is put at that place again once the boxes have replaced their
   * placeholders (each box is taller or shorter than its placeholder). */
  function headingInView() {
    var inside = null;
    var above = null;
    pending().forEach(function (element) {
      Array.prototype.forEach.call(element.children, function (standIn) {
        var heading = standIn.querySelector("[id]");
        var top = heading && heading.getBoundingClientRect().top;
        if (!heading || inside) {
          return;
        }
        if (top >= 0 && top < window.innerHeight) {
          inside = { id: heading.id, top: top };
        } else if (top < 0 && standIn.getBoundingClientRect().bottom > 0) {
          above = { id: heading.id, top: top };
        }
      });
    });
    return inside || above;
  }

  function keepInPlace(anchor) {
    var heading = anchor && document.getElementById(anchor.id);
    if (heading) {
      var moved = heading.getBoundingClientRect().top - anchor.top;
      if (Math.abs(moved) >= 1) {
        window.scrollBy(0, moved);
      }
    }
  }

  /* Focus was on a heading that a box's own heading replaced: it goes there, unless it
   * has moved on to something else meanwhile. */
  function restoreFocus() {
    var id = focusAfterMount;
    var heading = id && document.getElementById(id);
    var active = document.activeElement;
    focusAfterMount = null;
    if (!heading || (active && active !== document.body && document.contains(active))) {
      return;
    }
    if (!heading.hasAttribute("tabindex")) {
      heading.setAttribute("tabindex", "-1");
    }
    heading.focus({ preventScroll: true });
  }

  /* Every placeholder is replaced in one render: mounting them one by one redraws the
   * boxes mounted before (their inner elements are keyed by their place in the page), and
   * scripts that hold an element of theirs would lose it. */
  function mountAll() {
    wantAll = true;
    if (!trees) {
      return;
    }
    var byParent = {};
    pending().forEach(function (element) {
      var parent = element.parentElement && element.parentElement.id;
      if (parent) {
        (byParent[parent] = byParent[parent] || []).push(element);
      }
    });
    var anchor = headingInView();
    Object.keys(byParent).forEach(function (parent) {
      mountInto(parent, byParent[parent]);
    });
    keepInPlace(anchor);
    restoreFocus();
  }

  /* Once the reader shows intent, in the next idle period. */
  function mountInIdleTime() {
    background = true;
    if (!trees) {
      return;
    }
    if (window.requestIdleCallback) {
      window.requestIdleCallback(mountAll, { timeout: 500 });
    } else {
      window.setTimeout(mountAll, 16);
    }
  }

  function onIntent() {
    INTENT_EVENTS.forEach(function (name) {
      window.removeEventListener(name, onIntent, true);
    });
    if (window.articlePlotly) {
      window.articlePlotly.load(); // the graphs below will need it
    }
    mountInIdleTime();
  }

  var observer = null;
  function observe() {
    if (!window.IntersectionObserver || !trees) {
      return;
    }
    observer = observer || new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          var target = entry.target;
          if (entry.isIntersecting && !mounted[target.id] && document.contains(target)) {
            mountAll();
          } else if (!document.contains(target)) {
            observer.unobserve(target);
          }
        });
      },
      { rootMargin: "0px" }
    );
    pending().forEach(function (element) {
      observer.observe(element);
    });
  }

  function scrollToHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target) {
      target.scrollIntoView();
    }
  }

  function onKey(event) {
    var key = (event.key || "").toLowerCase();
    if ((event.ctrlKey || event.metaKey) && (key === "f" || key === "p")) {
      mountAll();
    } else if (trees) {
      mountAll(); // Tab from the last control must find the next box there
    }
  }

  function onFocus(event) {
    var target = event.target;
    if (target && target.id && target.closest && target.closest(SELECTOR)) {
      focusAfterMount = target.id;
      mountAll();
    }
  }

  function onClick(event) {
    var link = event.target.closest && event.target.closest('a[href*="#"]');
    if (link && link.pathname === window.location.pathname) {
      mountAll(); // before the browser scrolls to the link's target
    }
  }

  function start(source) {
    var hash = window.location.hash.length > 1;
    if (hash || window.location.search.length > 1) {
      wantAll = true;
    }
    loadTrees(source).then(function () {
      if (hash) {
        window.requestAnimationFrame(scrollToHash);
      }
    });
    INTENT_EVENTS.forEach(function (name) {
      window.addEventListener(name, onIntent, { capture: true, passive: true });
    });
    window.addEventListener("keydown", onKey, true);
    document.addEventListener("click", onClick, true);
    document.addEventListener("focusin", onFocus, true);
    window.addEventListener("beforeprint", mountAll);
    window.addEventListener("hashchange", function () {
      mountAll();
      scrollToHash();
    });
  }

  /* The placeholders appear when Dash renders the layout, after this script has run. */
  var waiting = new MutationObserver(function () {
    var first = document.querySelector(SELECTOR);
    if (first) {
      waiting.disconnect();
      start(first.getAttribute("data-deferred-src"));
    }
  });
  waiting.observe(document.documentElement, { childList: true, subtree: true });
})();
