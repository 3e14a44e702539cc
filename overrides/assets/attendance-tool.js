/* The attendance calculator's page: reads the marks typed into the form, shows the
   figures, an error summary, and charts drawn here as SVG, each with a table.
   Arithmetic: attendance.js (window.EWSAttendance). Codes: register-codes.js
   (window.EWSRegisterCodes). Nothing is stored or sent anywhere: the page only
   reads the text box when asked to calculate. Runs only on a page that has
   [data-attendance-tool]. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var CATEGORY_WORDS = {
    present: "Present",
    educational: "Approved educational activity (present)",
    authorised: "Authorised absence",
    unauthorised: "Unauthorised absence",
    "not-required": "Not a possible session",
    "no-mark": "Not counted (no mark yet)"
  };

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function svg(tag, attributes, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function count(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }

  var charts = 0;

  /* Horizontal bars, one a row: each bar is the row's possible sessions, split into attended,
     authorised and unauthorised. Widths are percentages, so the chart fits any screen width. */
  function barChart(rows, title, summary) {
    charts += 1;
    var A = window.EWSAttendance;
    var id = "ews-chart-" + charts;
    var rowHeight = 44, top = 22;
    var height = top + rows.length * rowHeight + 4;
    var chart = svg("svg", {width: "100%", height: String(height), role: "img",
                            "aria-labelledby": id + "-title " + id + "-desc", "class": "ews-chart", focusable: "false"});
    chart.appendChild(svg("title", {id: id + "-title"}, title));
    chart.appendChild(svg("desc", {id: id + "-desc"}, summary));
    var defs = svg("defs");
    var pattern = svg("pattern", {id: id + "-stripes", width: "6", height: "6", patternUnits: "userSpaceOnUse",
                                  patternTransform: "rotate(45)"});
    pattern.appendChild(svg("rect", {width: "6", height: "6", "class": "ews-seg-unauthorised"}));
    pattern.appendChild(svg("rect", {width: "2", height: "6", "class": "ews-stripe"}));
    defs.appendChild(pattern);
    chart.appendChild(defs);
    rows.forEach(function (row, index) {
      var y = top + index * rowHeight;
      var label = row.name + ": " + (row.possible
        ? A.formatPercent(row.percent.attendance) + " attended, " + count(row.possible, "possible session")
        : "no possible sessions");
      chart.appendChild(svg("text", {x: "0", y: String(y + 13), "class": "ews-chart-label"}, label));
      if (!row.possible) {
        chart.appendChild(svg("rect", {x: "0", y: String(y + 19), width: "100%", height: "14", "class": "ews-seg-none"}));
        return;
      }
      var x = 0;
      [["attended", "ews-seg-present"], ["authorised", "ews-seg-authorised"], ["unauthorised", null]]
        .forEach(function (part) {
          var width = 100 * row[part[0]] / row.possible;
          if (!width) return;
          var attributes = {x: x + "%", y: String(y + 19), width: width + "%", height: "14", "class": "ews-seg"};
          if (part[1]) attributes["class"] += " " + part[1];
          else attributes.fill = "url(#" + id + "-stripes)";
          chart.appendChild(svg("rect", attributes));
          x += width;
        });
    });
    // The 90% line, over the bars: attendance below it means 10% or more of sessions missed.
    var threshold = 100 - window.EWSRegisterCodes.persistentAbsence.thresholdPercent;
    chart.appendChild(svg("line", {x1: threshold + "%", x2: threshold + "%", y1: "16", y2: String(height),
                                   "class": "ews-threshold"}));
    chart.appendChild(svg("text", {x: threshold + "%", y: "12", "text-anchor": "middle", "class": "ews-chart-small"},
                          threshold + "%"));
    return chart;
  }

  function legend() {
    return el("ul", {"class": "ews-legend", "aria-hidden": "true"}, [
      el("li", {}, [el("span", {"class": "ews-swatch ews-swatch-present"}), "Attended (present, late before the register closed, or approved educational activity)"]),
      el("li", {}, [el("span", {"class": "ews-swatch ews-swatch-authorised"}), "Authorised absence"]),
      el("li", {}, [el("span", {"class": "ews-swatch ews-swatch-unauthorised"}), "Unauthorised absence (striped)"]),
      el("li", {}, [el("span", {"class": "ews-swatch ews-swatch-threshold"}), "90% line: attendance below it means 10% or more of sessions missed"])
    ]);
  }

  function table(caption, firstHeading, rows, total) {
    var A = window.EWSAttendance;
    var head = el("tr", {}, [firstHeading, "Possible", "Attended", "Author\u00adised", "Un\u00adauthor\u00adised", "Late"]
      .map(function (text) {
      return el("th", {scope: "col", text: text});
    }));
    var body = el("tbody");
    rows.concat(total ? [total] : []).forEach(function (row) {
      var cells = [el("th", {scope: "row", text: row.name})];
      if (!row.possible) {
        cells.push(el("td", {text: "0"}));
        cells.push(el("td", {colspan: "4", text: "No possible sessions (school closed, or no marks yet)"}));
      } else {
        cells.push(el("td", {"class": "ews-num", text: String(row.possible)}));
        ["attendance", "authorised", "unauthorised"].forEach(function (key) {
          var sessions = key === "attendance" ? row.attended : row[key];
          cells.push(el("td", {"class": "ews-num"}, [A.formatPercent(row.percent[key]) + " ",
                                                     el("span", {"class": "ews-count", text: "(" + sessions + ")"})]));
        });
        cells.push(el("td", {"class": "ews-num", text: String(row.late)}));
      }
      body.appendChild(el("tr", row === total ? {"class": "ews-total"} : {}, cells));
    });
    var wrap = el("div", {"class": "ews-table-wrap", role: "region", tabindex: "0", "aria-label": caption}, [
      el("table", {"class": "ews-table"}, [el("caption", {text: caption + ": percentages of possible sessions, " +
        "with the number of sessions in brackets"}), el("thead", {}, [head]), body])
    ]);
    return wrap;
  }

  function lowest(rows) {
    var open = rows.filter(function (r) { return r.possible; });
    if (!open.length) return "No row has any possible sessions.";
    var worst = open.reduce(function (a, b) { return b.percent.attendance < a.percent.attendance ? b : a; });
    var best = open.reduce(function (a, b) { return b.percent.attendance > a.percent.attendance ? b : a; });
    return "Lowest attendance: " + worst.name + ", " + window.EWSAttendance.formatPercent(worst.percent.attendance) +
      ". Highest: " + best.name + ", " + window.EWSAttendance.formatPercent(best.percent.attendance) +
      ". The table after the chart gives every figure.";
  }

  function summaryList(summary) {
    var A = window.EWSAttendance;
    var t = summary.total;
    var pa = summary.persistentAbsence;
    var persistent = pa.absent === null ? "Cannot tell: there are no possible sessions."
      : (pa.absent ? "Yes. " : "No. ") + "The pupil missed " + A.formatPercent(t.percent.absence) +
        " of possible sessions; " + pa.thresholdPercent + "% or more counts as persistently absent in Wales.";
    var notCounted = [];
    if (t.notRequired) notCounted.push(count(t.notRequired, "session") + " not possible (school closed or attendance not required)");
    if (t.noMark) notCounted.push(count(t.noMark, "session") + " with no mark yet");
    var items = [
      ["Possible sessions", t.possible + (notCounted.length ? " (left out: " + notCounted.join("; ") + ")" : "")],
      ["Attendance", A.formatPercent(t.percent.attendance) + ": " + count(t.attended, "session") + " attended" +
        (t.educational ? ", including " + t.educational + " of approved educational activity" : "")],
      ["Authorised absence", A.formatPercent(t.percent.authorised) + ": " + count(t.authorised, "session")],
      ["Unauthorised absence", A.formatPercent(t.percent.unauthorised) + ": " + count(t.unauthorised, "session")],
      ["All absence", A.formatPercent(t.percent.absence) + ": " + count(t.absent, "session")],
      ["Late marks", count(t.late, "session") + " (" + A.formatPercent(t.percent.late) + "): " +
        t.lateBeforeClose + " before the register closed (L, counted as present), " +
        t.lateAfterClose + " after it closed (U, counted as unauthorised absence)"],
      ["Persistently absent?", persistent]
    ];
    var list = el("dl", {"class": "ews-summary", "data-summary": ""});
    items.forEach(function (item) {
      list.appendChild(el("div", {}, [el("dt", {text: item[0]}), el("dd", {text: item[1]})]));
    });
    return list;
  }

  function codesUsedTable(summary) {
    var body = el("tbody");
    summary.codesUsed.forEach(function (entry) {
      body.appendChild(el("tr", {}, [
        el("th", {scope: "row"}, [el("code", {text: entry.code})]),
        el("td", {text: entry.meaning + (entry.note ? ". " + entry.note : "")}),
        el("td", {text: CATEGORY_WORDS[entry.category] || entry.category}),
        el("td", {text: String(entry.count)})
      ]));
    });
    return el("div", {"class": "ews-table-wrap", role: "region", tabindex: "0", "aria-label": "Codes used"}, [
      el("table", {"class": "ews-table"}, [
        el("caption", {text: "Each code in the marks entered, with the number of sessions"}),
        el("thead", {}, [el("tr", {}, ["Code", "Meaning", "Counted as", "Sessions"].map(function (text) {
          return el("th", {scope: "col", text: text});
        }))]),
        body
      ])
    ]);
  }

  function showResults(tool, summary, isExample) {
    var results = tool.querySelector("[data-results]");
    results.textContent = "";
    var weeks = summary.weeks;
    var period = weeks.length === 1 ? "the week beginning " + weeks[0].label
      : count(weeks.length, "week") + ", from the week beginning " + weeks[0].label +
        " to the week beginning " + weeks[weeks.length - 1].label;
    var heading = el("h2", {id: "attendance-results", tabindex: "-1", text: "Results"});
    results.appendChild(heading);
    results.appendChild(el("p", {text: "For " + period + "."}));
    if (isExample) {
      results.appendChild(el("p", {"class": "ews-note", text: "This is activity 4.4's pupil. The daily marks are " +
        "reconstructed from the pack's weekly figures, so the totals match the pack but the days are illustrative."}));
    }
    results.appendChild(summaryList(summary));
    var noted = summary.codesUsed.filter(function (c) { return c.note; });
    results.appendChild(el("p", {"class": "ews-note", text: "These figures use a code table that is not yet " +
      "confirmed for Wales. Check the codes and categories before relying on them" +
      (noted.length ? ", especially " + noted.map(function (c) { return c.code; }).join(" and ") +
        " (see Codes used, below)." : ".")}));
    var weekRows = weeks.map(function (w) { w.name = w.short; return w; });
    var dayRows = summary.weekdays.map(function (d) { d.name = d.day; return d; });
    var total = summary.total;
    total.name = "All weeks";
    results.appendChild(el("h3", {text: "By week"}));
    results.appendChild(legend());
    results.appendChild(barChart(weekRows, "Attendance by week", lowest(weekRows)));
    results.appendChild(table("Attendance by week", "Week beginning", weekRows, total));
    results.appendChild(el("h3", {text: "By day of the week"}));
    results.appendChild(el("p", {text: "Each day's figures add up that day's morning and afternoon sessions over all the weeks entered."}));
    results.appendChild(legend());
    results.appendChild(barChart(dayRows, "Attendance by day of the week", lowest(dayRows)));
    var dayTotal = Object.assign({}, total, {name: "All days"});
    results.appendChild(table("Attendance by day of the week", "Day", dayRows, dayTotal));
    results.appendChild(el("h3", {text: "Codes used"}));
    results.appendChild(codesUsedTable(summary));
    results.hidden = false;
    heading.focus();
  }

  function showErrors(tool, errors) {
    var box = tool.querySelector("[data-error-summary]");
    var list = box.querySelector("[data-error-list]");
    var field = tool.querySelector("[data-field]");
    var textarea = tool.querySelector("textarea");
    var message = tool.querySelector("[data-field-error]");
    list.textContent = "";
    errors.forEach(function (error) {
      var link = el("a", {href: "#" + textarea.id, text: error.message});
      link.addEventListener("click", function (event) {
        event.preventDefault();
        textarea.focus();
        if (error.to > error.from) textarea.setSelectionRange(error.from, error.to);
      });
      list.appendChild(el("li", {}, [link]));
    });
    var lines = errors.map(function (e) { return e.line; })
      .filter(function (n, i, all) { return n > 0 && all.indexOf(n) === i; });
    var words = lines.length > 1 ? lines.slice(0, -1).join(", ") + " and " + lines[lines.length - 1] : String(lines[0]);
    message.textContent = "";
    message.appendChild(el("span", {"class": "ews-visually-hidden", text: "Error: "}));
    message.appendChild(document.createTextNode(errors.length === 1 ? errors[0].message
      : "There are " + errors.length + " problems, on " + (lines.length === 1 ? "line " : "lines ") + words +
        ". They are listed above."));
    message.hidden = false;
    field.classList.add("ews-field--error");
    textarea.setAttribute("aria-invalid", "true");
    textarea.setAttribute("aria-describedby", "attendance-marks-hint attendance-marks-error");
    box.hidden = false;
    tool.querySelector("[data-results]").hidden = true;
    if (document.title.indexOf("Error: ") !== 0) document.title = "Error: " + document.title;
    box.focus();
  }

  function clearErrors(tool) {
    tool.querySelector("[data-error-summary]").hidden = true;
    tool.querySelector("[data-field-error]").hidden = true;
    tool.querySelector("[data-field]").classList.remove("ews-field--error");
    var textarea = tool.querySelector("textarea");
    textarea.removeAttribute("aria-invalid");
    textarea.setAttribute("aria-describedby", "attendance-marks-hint");
    document.title = document.title.replace(/^Error: /, "");
  }

  function codeList(container) {
    var data = window.EWSRegisterCodes;
    var body = el("tbody");
    data.codes.concat(data.toolMarks.map(function (m) {
      return {code: m.code, meaning: m.meaning, category: "no-mark", late: false};
    })).forEach(function (entry) {
      body.appendChild(el("tr", {}, [
        el("th", {scope: "row"}, [el("code", {text: entry.code})]),
        el("td", {text: entry.meaning + (entry.note ? ". " + entry.note : "")}),
        el("td", {text: (CATEGORY_WORDS[entry.category] || entry.category) + (entry.late ? "; a late mark" : "")})
      ]));
    });
    container.textContent = "";
    container.appendChild(el("div", {"class": "ews-table-wrap", role: "region", tabindex: "0",
                                     "aria-label": "Codes the calculator knows"}, [
      el("table", {"class": "ews-table", "data-codes-table": ""}, [
        el("caption", {text: "Codes the calculator knows (not yet confirmed for Wales)"}),
        el("thead", {}, [el("tr", {}, ["Code", "Meaning", "Counted as"].map(function (text) {
          return el("th", {scope: "col", text: text});
        }))]),
        body
      ])
    ]));
  }

  function start() {
    var tool = document.querySelector("[data-attendance-tool]");
    if (!tool || tool.dataset.ready || !window.EWSAttendance || !window.EWSRegisterCodes) return;
    tool.dataset.ready = "true";
    var A = window.EWSAttendance;
    var form = tool.querySelector("form");
    var textarea = tool.querySelector("textarea");
    tool.querySelectorAll("[data-needs-script]").forEach(function (node) { node.hidden = false; });
    tool.querySelectorAll("[data-no-script]").forEach(function (node) { node.hidden = true; });
    var codes = document.querySelector("[data-code-list]");
    if (codes) codeList(codes);
    function calculate() {
      var result = A.calculate(textarea.value, window.EWSRegisterCodes);
      if (result.errors.length) { showErrors(tool, result.errors); return; }
      clearErrors(tool);
      showResults(tool, result.summary, textarea.value.trim() === A.EXAMPLE_4_4);
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); calculate(); });
    tool.querySelector("[data-load-example]").addEventListener("click", function () {
      textarea.value = A.EXAMPLE_4_4;
      calculate();
    });
    tool.querySelector("[data-clear]").addEventListener("click", function () {
      textarea.value = "";
      clearErrors(tool);
      var results = tool.querySelector("[data-results]");
      results.hidden = true;
      results.textContent = "";
      textarea.focus();
    });
  }

  if (typeof document$ !== "undefined") { document$.subscribe(start); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
}());
