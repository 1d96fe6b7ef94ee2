/* The table of contents (components/toc.py) in the browser, with no server round trip.
 *
 * - Marks the link of the section being read (aria-current="location", class toc-current)
 *   and names that section in the narrow screens' bar; an IntersectionObserver says when
 *   a section crosses the top third of the window.
 * - The bar's button opens and closes the list; a jump or Escape closes it.
 * - A page opened at a fragment (?user=42#box-6) scrolls there once React has drawn the
 *   section (the browser tried before it existed), and keeps it in place while the boxes
 *   above it finish drawing, until the reader scrolls. */
(function () {
  "use strict";

  var READING_LINE = 0.3; // a section is "being read" once its top passes 30% of the window
  var HOLD_MS = 4000; // how long an opened fragment is kept in place while boxes draw

  function sections() {
    return Array.prototype.slice.call(document.querySelectorAll("#main > section[id]"));
  }

  function current(list) {
    var line = window.innerHeight * READING_LINE;
    var here = list[0];
    for (var i = 0; i < list.length; i++) {
      if (list[i].getBoundingClientRect().top <= line) {
        here = list[i];
      }
    }
    return here;
  }

  function mark(nav, list) {
    var here = current(list);
    if (!here) {
      return;
    }
    var links = nav.querySelectorAll(".toc-link");
    var label = "";
    for (var i = 0; i < links.length; i++) {
      var on = links[i].getAttribute("data-section") === here.id;
      links[i].classList.toggle("toc-current", on);
      if (on) {
        links[i].setAttribute("aria-current", "location");
        label = links[i].textContent;
      } else {
        links[i].removeAttribute("aria-current");
      }
    }
    var bar = document.getElementById("toc-here");
    if (bar && bar.textContent !== label) {
      bar.textContent = label;
    }
  }

  function setOpen(nav, open) {
    var toggle = document.getElementById("toc-toggle");
    nav.classList.toggle("toc-open", open);
    if (toggle) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  function holdFragment() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) {
      return;
    }
    var started = Date.now();
    var stop = function () {
      started = 0;
    };
    ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (name) {
      window.addEventListener(name, stop, { once: true, passive: true });
    });
    var align = function () {
      if (!started || Date.now() - started > HOLD_MS) {
        return;
      }
      if (Math.abs(target.getBoundingClientRect().top - scrollMargin(target)) > 2) {
        target.scrollIntoView({ block: "start" });
      }
      window.requestAnimationFrame(align);
    };
    align();
  }

  function scrollMargin(element) {
    return parseFloat(window.getComputedStyle(element).scrollMarginTop) || 0;
  }

  function start(nav) {
    var list = sections();
    var pending = false;
    var update = function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          mark(nav, list);
        });
      }
    };
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(update, {
        rootMargin: "0px 0px -" + Math.round((1 - READING_LINE) * 100) + "% 0px",
      });
      list.forEach(function (section) {
        observer.observe(section);
      });
      // Boxes mounted later (assets/deferred.js) join the list; a fragment that only now
      // exists is held in place as at load.
      var held = false;
      new MutationObserver(function () {
        var now = sections();
        now.forEach(function (section) {
          if (list.indexOf(section) < 0) {
            observer.observe(section);
          }
        });
        list = now;
        var id = decodeURIComponent(window.location.hash.slice(1));
        if (!held && id && document.getElementById(id)) {
          held = true;
          holdFragment();
        }
        update();
      }).observe(document.getElementById("main"), { childList: true });
    } else {
      window.addEventListener("scroll", update, { passive: true });
    }
    window.addEventListener("resize", update);
    window.addEventListener("hashchange", update);
    nav.addEventListener("click", function (event) {
      if (event.target.closest("#toc-toggle")) {
        setOpen(nav, !nav.classList.contains("toc-open"));
      } else if (event.target.closest(".toc-link")) {
        setOpen(nav, false);
      }
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("toc-open")) {
        setOpen(nav, false);
        document.getElementById("toc-toggle").focus();
      }
    });
    holdFragment();
    mark(nav, list);
  }

  // React draws the page after this script runs: start once the contents and sections exist.
  function whenDrawn() {
    var nav = document.getElementById("toc");
    if (nav && document.querySelector("#main > section[id]")) {
      start(nav);
      return true;
    }
    return false;
  }

  if (!whenDrawn()) {
    var watcher = new MutationObserver(function () {
      if (whenDrawn()) {
        watcher.disconnect();
      }
    });
    watcher.observe(document.documentElement, { childList: true, subtree: true });
  }
})();
