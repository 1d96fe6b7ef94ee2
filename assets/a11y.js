/* Dash 4's option lists, dropdowns and wide tables, repaired for assistive technology.
 *
 * Dash renders these parts with no props to change them, so this script adjusts the DOM
 * after React (a MutationObserver, as assets/sliders.js does for the sliders). Each repair
 * is idempotent and only touches attributes React never sets again with another value.
 *
 * 1. dcc.Checklist and dcc.RadioItems render div[role=listbox] > label[role=option] >
 *    input: a listbox without a name (axe: aria-input-field-name) whose options hold
 *    checkboxes (nested-interactive). On the page they are groups of native checkboxes and
 *    radios, named by the <fieldset>/<legend> or role=group wrapper the layout puts around
 *    them, so the list and option roles and aria-selected go. Lists inside an open dropdown
 *    keep theirs: there the dropdown moves focus between the options itself.
 * 2. dcc.Dropdown puts an aria-hidden <input> before its button that takes Tab and passes
 *    focus on to the button (aria-hidden-focus). assets/a11y.css hides that input; the
 *    button itself becomes the Tab stop, named by its <label for> and then its value.
 * 3. A table wider than its container makes the container a labelled, focusable region
 *    (keyboard users can scroll it; axe: scrollable-region-focusable) marked
 *    data-scrolls, which assets/tables.css turns into a visible scroll cue. A table that
 *    fits leaves its container an ordinary block with no extra Tab stop.
 */
(function () {
  "use strict";

  var OUTSIDE_DROPDOWN = ":not(.dash-dropdown-content *)";
  var TABLE_BOXES = ".table-scroll, .figure-table";

  function plainOptionLists(root) {
    root.querySelectorAll('.dash-options-list[role="listbox"]' + OUTSIDE_DROPDOWN)
      .forEach(function (list) {
        list.removeAttribute("role");
      });
    root.querySelectorAll(
      ".dash-options-list-option[role]" + OUTSIDE_DROPDOWN +
      ", .dash-options-list-option[aria-selected]" + OUTSIDE_DROPDOWN
    ).forEach(function (option) {
      option.removeAttribute("role");
      option.removeAttribute("aria-selected");
    });
  }

  function namedDropdowns(root) {
    root.querySelectorAll("button.dash-dropdown[id]").forEach(function (button) {
      if (button.getAttribute("tabindex") !== "0") {
        button.setAttribute("tabindex", "0");
      }
      var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
      if (!label) {
        return;
      }
      if (!label.id) {
        label.id = button.id + "-label";
      }
      var names = (button.getAttribute("aria-labelledby") || "").split(" ");
      if (names[0] !== label.id) {
        button.setAttribute("aria-labelledby", [label.id].concat(names).join(" ").trim());
      }
    });
  }

  function scrollRegion(box) {
    var table = box.querySelector("table");
    var scrolls = !!table && box.scrollWidth > box.clientWidth + 1;
    if (!scrolls) {
      ["tabindex", "role", "aria-label", "data-scrolls"].forEach(function (name) {
        box.removeAttribute(name);
      });
      return;
    }
    var caption = table.querySelector("caption");
    var name = (caption ? caption.textContent.trim() + ": " : "") + "table, scrolls sideways";
    if (box.getAttribute("aria-label") !== name) {
      box.setAttribute("aria-label", name);
    }
    if (box.getAttribute("data-scrolls") !== "true") {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("data-scrolls", "true");
    }
  }

  var resized = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      scrollRegion(entry.target);
    });
  });
  var watched = new WeakSet();

  function tableRegions(root) {
    root.querySelectorAll(TABLE_BOXES).forEach(function (box) {
      if (!watched.has(box)) {
        watched.add(box);
        resized.observe(box);
      }
      scrollRegion(box);
    });
  }

  function repair() {
    plainOptionLists(document);
    namedDropdowns(document);
    tableRegions(document);
  }

  new MutationObserver(repair).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["role", "aria-selected", "tabindex"],
  });
  window.addEventListener("resize", function () {
    tableRegions(document);
  });
})();
