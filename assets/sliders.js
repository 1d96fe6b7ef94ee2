/* Dash 4 sliders with a number box, made keyboard- and screen-reader-friendly.
 *
 * dcc.Slider renders its number box before the slider track in the DOM and moves it after
 * the track with CSS (order: 1), takes no aria props, and applies a typed value only when
 * the box loses focus (an empty box then jumps to the maximum). For every wrapper with
 * data-slider-labelledby="<id of the visible label>" (and optionally
 * data-input-describedby="<id of a hint>") this script:
 *  - names the handle and the number box after that label (and describes the box),
 *  - moves the box after the track, so Tab reaches the slider, then its box, as they are
 *    seen (React keeps updating the moved node; it never re-inserts it),
 *  - applies a typed value on Enter (the slider's own blur handler does the applying),
 *  - puts back the value a box had when it got focus if it is left empty.
 * Also after Dash re-renders the sliders (a MutationObserver). */
(function () {
  "use strict";

  var WRAPPER = "[data-slider-labelledby]";
  var BOX = WRAPPER + ' input[type="number"]';
  var valueOnFocus = new WeakMap();

  function setAttribute(element, name, value) {
    if (value && element.getAttribute(name) !== value) {
      element.setAttribute(name, value);
    }
  }

  function enhance(wrapper) {
    var labelId = wrapper.getAttribute("data-slider-labelledby");
    var hintId = wrapper.getAttribute("data-input-describedby");
    wrapper.querySelectorAll('[role="slider"]').forEach(function (handle) {
      setAttribute(handle, "aria-labelledby", labelId);
    });
    wrapper.querySelectorAll('input[type="number"]').forEach(function (box) {
      setAttribute(box, "aria-labelledby", labelId);
      setAttribute(box, "aria-describedby", hintId);
      var track = box.parentNode.querySelector(":scope > .dash-slider-wrapper");
      var boxFirst =
        track && box.compareDocumentPosition(track) & Node.DOCUMENT_POSITION_FOLLOWING;
      if (boxFirst && document.activeElement !== box) {
        box.parentNode.appendChild(box);
      }
    });
  }

  /* Set a React-controlled input's value the way typing does, so React sees it. */
  function typeValue(box, text) {
    var setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
    setter.call(box, text);
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(BOX)) {
      valueOnFocus.set(event.target, event.target.value);
    }
  });

  // Capture phase: runs before React's blur handler, which then applies the restored value.
  document.addEventListener(
    "focusout",
    function (event) {
      var box = event.target;
      if (box.matches && box.matches(BOX) && box.value.trim() === "" && valueOnFocus.get(box)) {
        typeValue(box, valueOnFocus.get(box));
      }
    },
    true
  );

  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key === "Enter" && box.matches && box.matches(BOX)) {
      event.preventDefault();
      box.blur(); // the slider applies (clamps, snaps) the typed value on blur
      box.focus();
    }
  });

  new MutationObserver(function () {
    document.querySelectorAll(WRAPPER).forEach(enhance);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
