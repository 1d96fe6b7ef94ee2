/* Box 6 (components/venn.py) in the browser: a tap on a dot highlights that movie.
 *
 * The dot's movie id is its first customdata value; it becomes the value of the
 * "Highlight a movie" picker, so a tap on a phone shows the same details, in words, as a
 * pick with the keyboard. A tap on a "+N" mark brings the table, which lists those movies,
 * into view; anything else changes nothing. */
(function () {
  "use strict";

  var clientside = (window.dash_clientside = window.dash_clientside || {});

  clientside.charts = {
    vennTap: function (clickData) {
      var point = clickData && clickData.points && clickData.points[0];
      if (!point) {
        return clientside.no_update;
      }
      if (!Array.isArray(point.customdata)) {
        // dcc.Graph passes the point's text, not its trace: "+N" marks are the only
        // clickable points whose text starts with "+".
        var more = typeof point.text === "string" && point.text.charAt(0) === "+";
        var table = more && document.getElementById("venn-table");
        if (table) {
          table.scrollIntoView({ behavior: "smooth", block: "start" });
        }
        return clientside.no_update;
      }
      var movie = point.customdata[0];
      return typeof movie === "number" ? movie : clientside.no_update;
    },
  };
})();
