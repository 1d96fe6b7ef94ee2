/* Searchable dropdowns (the movie pickers) open with the caret in their search box.
 *
 * Dash 4's dropdown, opened with Enter, ArrowDown or a click while it holds a value,
 * focuses that value's option, so what the reader types next goes nowhere (Box 7's
 * picker "lost" the typed title). When focus enters an option from outside the open
 * list, this script sends the list the Home key, which Dash's own keyboard handler
 * answers by focusing the search box and resetting its option index (so ArrowDown then
 * goes to the first option). Moving between options inside the list is left alone. */
(function () {
  "use strict";

  var OPTION = ".dash-dropdown-content .dash-options-list-option-checkbox";

  document.addEventListener("focusin", function (event) {
    var option = event.target;
    if (!option.matches || !option.matches(OPTION)) {
      return;
    }
    var list = option.closest(".dash-dropdown-content");
    var from = event.relatedTarget;
    if (!list.querySelector("input.dash-dropdown-search") || (from && list.contains(from))) {
      return;
    }
    option.dispatchEvent(
      new KeyboardEvent("keydown", { key: "Home", bubbles: true, cancelable: true })
    );
  });
})();
