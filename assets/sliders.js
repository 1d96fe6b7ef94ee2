/* Give Dash 4 sliders an accessible name. dcc.Slider renders a number box and a handle
 * (role="slider") but takes no aria props, so a wrapper carries
 * data-slider-labelledby="<id of the visible label>" and this script points both controls
 * at that label, also after Dash re-renders them. */
(function () {
  "use strict";

  function label(root) {
    root.querySelectorAll("[data-slider-labelledby]").forEach(function (wrapper) {
      var labelId = wrapper.getAttribute("data-slider-labelledby");
      wrapper
        .querySelectorAll('[role="slider"], input[type="number"]')
        .forEach(function (control) {
          if (control.getAttribute("aria-labelledby") !== labelId) {
            control.setAttribute("aria-labelledby", labelId);
          }
        });
    });
  }

  new MutationObserver(function () {
    label(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
