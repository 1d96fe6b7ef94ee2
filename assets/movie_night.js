/* Box 3 (movie night) in the browser: the two clientside callbacks that
 * components/movie_night.py registers, so the box needs no server round trip.
 *
 * The arithmetic mirrors the Python reference (components.movie_night.compute_movie_night
 * and sanitize_factor); the browser tests check both give the same numbers. Like a student
 * working by hand it rounds halves up (3.625 -> 3.63): every factor becomes a whole number
 * of hundredths first, so products and sums are exact integers and binary floats never
 * decide a rounding. All numbers here are non-negative (factors in 0..1, movies in 0..5). */
(function () {
  "use strict";

  var clientside = (window.dash_clientside = window.dash_clientside || {});

  /* A non-negative number as whole hundredths, halves up. toPrecision(12) removes the
   * float noise of x * 100 (0.285 * 100 = 28.499999999999996 -> 28.5 -> 29). */
  function toHundredths(x) {
    return Math.round(Number((x * 100).toPrecision(12)));
  }

  /* numerator / denominator rounded half up, for non-negative integers. */
  function divideHalfUp(numerator, denominator) {
    return Math.floor((2 * numerator + denominator) / (2 * denominator));
  }

  /* Whole hundredths as text with two decimals: 363 -> "3.63", 280 -> "2.80". */
  function fixed(hundredths) {
    return Math.floor(hundredths / 100) + "." + ("0" + (hundredths % 100)).slice(-2);
  }

  /* At most two decimals, no trailing zeros: 90 -> "0.9", 100 -> "1". */
  function short(hundredths) {
    return fixed(hundredths).replace(/\.?0+$/, "");
  }

  /* Whatever a slider sent -> a factor in [0, 1] with at most two decimals; anything
   * unusable (null, NaN, text) keeps lastGood. Mirrors movie_night.sanitize_factor. */
  function sanitizeFactor(value, lastGood) {
    if (typeof value === "string" && value.trim() !== "") {
      value = Number(value);
    }
    if (typeof value !== "number" || !isFinite(value)) {
      return lastGood;
    }
    return toHundredths(Math.min(1, Math.max(0, value))) / 100;
  }

  function tasteText(you, factors) {
    return factors
      .map(function (factor) {
        return short(toHundredths(you[factor]));
      })
      .join(", ");
  }

  function sameTaste(a, b, factors) {
    return factors.every(function (factor) {
      return toHundredths(a[factor]) === toHundredths(b[factor]);
    });
  }

  /* Every person's predicted rating of every movie in whole hundredths, and each movie's
   * group average: the mean of the exact (unrounded) predictions. */
  function predict(toy, you) {
    var exact = toy.people.map(function (person) {
      var w =
        person.name === toy.you
          ? toy.factors.map(function (f) {
              return you[f];
            })
          : person.factors;
      return toy.movies.map(function (movie) {
        // Ten-thousandths: hundredths times hundredths.
        return w.reduce(function (sum, wk, k) {
          return sum + toHundredths(wk) * toHundredths(movie.factors[k]);
        }, 0);
      });
    });
    var averages = toy.movies.map(function (movie, j) {
      var total = exact.reduce(function (sum, row) {
        return sum + row[j];
      }, 0);
      return divideHalfUp(total, 100 * exact.length);
    });
    return {
      predictions: exact.map(function (row) {
        return row.map(function (value) {
          return divideHalfUp(value, 100);
        });
      }),
      averages: averages,
      // The first of the highest shown averages, as the Python reference picks it.
      best: averages.indexOf(Math.max.apply(null, averages)),
    };
  }

  function averageCell(hundredths, isBest) {
    if (!isBest) {
      return fixed(hundredths);
    }
    return [
      fixed(hundredths),
      {
        type: "Span",
        namespace: "dash_html_components",
        props: { children: " (best)", className: "visually-hidden" },
      },
    ];
  }

  /* Outputs, in the order movie_night.py declares them: computed taste, prediction cells
   * (row by row), average texts, average classes, verdict, status, output class, caption. */
  function filledTable(toy, you) {
    var result = predict(toy, you);
    var best = toy.movies[result.best].name;
    var outputs = [Object.assign({}, you)];
    result.predictions.forEach(function (row) {
      row.forEach(function (hundredths) {
        outputs.push(fixed(hundredths));
      });
    });
    result.averages.forEach(function (hundredths, j) {
      outputs.push(averageCell(hundredths, j === result.best));
    });
    result.averages.forEach(function (_, j) {
      outputs.push(j === result.best ? "average best" : "average");
    });
    outputs.push(
      toy.text.verdict
        .replace("{movie}", best)
        .replace("{average}", fixed(result.averages[result.best]))
    );
    outputs.push("", "movie-night-output", "");
    return outputs;
  }

  function staleMark(toy, you, computed) {
    var noUpdate = clientside.no_update;
    var cells = toy.people.length * toy.movies.length + 2 * toy.movies.length + 1;
    var stale = !sameTaste(you, computed, toy.factors);
    var outputs = [noUpdate];
    for (var i = 0; i < cells; i += 1) {
      outputs.push(noUpdate);
    }
    outputs.push(
      stale ? toy.text.stale : "",
      stale ? "movie-night-output stale" : "movie-night-output",
      stale ? toy.text.stale_caption : ""
    );
    return outputs;
  }

  clientside.movie_night = {
    /* (value, drag_value) per slider in toy.factors order, then the stored taste and the
     * toy data -> [stored taste, You's factors text]. The slider's number box sets
     * drag_value on each valid keystroke and value when it loses focus; whichever fired
     * carries the reader's latest input. */
    applyTaste: function () {
      var args = Array.prototype.slice.call(arguments);
      var toy = args.pop();
      var last = args.pop() || {};
      var context = clientside.callback_context;
      var fired = context.triggered.map(function (t) {
        return t.prop_id;
      });
      var you = {};
      toy.factors.forEach(function (factor, k) {
        var sliderId = context.inputs_list[2 * k].id;
        var candidate = last[factor];
        if (fired.indexOf(sliderId + ".value") >= 0) {
          candidate = args[2 * k];
        } else if (fired.indexOf(sliderId + ".drag_value") >= 0) {
          candidate = args[2 * k + 1];
        }
        // The store only ever holds what this function wrote (or the layout's default);
        // 0.5 guards against a store emptied by hand in the devtools.
        you[factor] = sanitizeFactor(candidate, sanitizeFactor(last[factor], 0.5));
      });
      if (sameTaste(you, last, toy.factors)) {
        throw clientside.PreventUpdate;
      }
      return [you, tasteText(you, toy.factors)];
    },

    /* (button clicks, stored taste, toy data, taste of the last calculation) -> the
     * filled table when the button fired; otherwise only the out-of-date mark. */
    calculate: function (nClicks, you, toy, computed) {
      var clicked = clientside.callback_context.triggered.some(function (t) {
        return /\.n_clicks$/.test(t.prop_id);
      });
      if (clicked) {
        return filledTable(toy, you);
      }
      if (!computed) {
        throw clientside.PreventUpdate;
      }
      return staleMark(toy, you, computed);
    },
  };
})();
