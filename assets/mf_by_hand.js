/* Box 2 (matrix factorization by hand): hovering or focusing a result cell highlights the
 * user row and the item column that produce it, and shows the arithmetic below the
 * matrices. Event delegation on the document, so it works whenever Dash renders the box. */
(function () {
  "use strict";

  var CELL = ".mf-by-hand .result-cell";
  var OUTPUT_ID = "mf-by-hand-arithmetic";

  function clear(box) {
    box.querySelectorAll(".highlight, .active").forEach(function (el) {
      el.classList.remove("highlight", "active");
    });
  }

  function show(cell) {
    var box = cell.closest(".mf-by-hand");
    if (!box) {
      return;
    }
    clear(box);
    var row = cell.getAttribute("data-row");
    var col = cell.getAttribute("data-col");
    box.querySelectorAll(".user-" + row + ", .item-" + col).forEach(function (el) {
      el.classList.add("highlight");
    });
    cell.classList.add("active");
    var output = document.getElementById(OUTPUT_ID);
    if (output) {
      output.textContent = cell.getAttribute("data-arithmetic");
    }
  }

  function onEnter(event) {
    var cell = event.target.closest && event.target.closest(CELL);
    if (cell) {
      show(cell);
    }
  }

  document.addEventListener("mouseover", onEnter);
  document.addEventListener("focusin", onEnter);
})();
