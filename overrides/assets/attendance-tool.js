/* The attendance calculator's page: reads the marks typed into the form, shows the
   figures, an error summary, and charts drawn here as SVG, each with a table.
   Arithmetic: attendance.js (window.EWSAttendance). Codes: register-codes.js
   (window.EWSRegisterCodes). Nothing is stored or sent anywhere: the page only
   reads the text box when asked to calculate. Runs only on a page that has
   [data-attendance-tool]. Speaks the page's language, English or Welsh (WORDS). */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function count(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }

  /* Welsh puts "ac" before a vowel sound and "a" before a consonant: "D ac Y", "2 a 3", "1 ac 8".
     Said in Welsh, 1 (un), 11 to 19 (un deg ...) and any number starting with 8 (wyth) begin with a vowel. */
  function welshAnd(next) {
    var text = String(next);
    var vowel = /^\d+$/.test(text) ? (text === "1" || /^1\d$/.test(text) || text.charAt(0) === "8")
      : /^[aeiouwy]/i.test(text);
    return vowel ? " ac " : " a ";
  }

  function welshList(items) {
    return items.reduce(function (text, item, index) {
      if (!index) return String(item);
      return text + (index === items.length - 1 ? welshAnd(item) : ", ") + item;
    }, "");
  }

  /* Every word the tool shows or gives to a screen reader, in English and Welsh; the page's
     language (<html lang>, read by EWSAttendance.language) chooses. Numbers are written the same in both. */
  var WORDS = {
    en: {
      categories: {
        present: "Present",
        educational: "Approved educational activity (present)",
        authorised: "Authorised absence",
        unauthorised: "Unauthorised absence",
        "not-required": "Not a possible session",
        "no-mark": "Not counted (no mark yet)"
      },
      chartRow: function (percent, possible) { return percent + " attended, " + count(possible, "possible session"); },
      chartRowEmpty: "no possible sessions",
      legend: ["Attended (present, late before the register closed, or approved educational activity)",
               "Authorised absence", "Unauthorised absence (striped)",
               "90% line: attendance below it means 10% or more of sessions missed"],
      columns: ["Possible", "Attended", "Author\u00adised", "Un\u00adauthor\u00adised", "Late"],
      noSessions: "No possible sessions (school closed, or no marks yet)",
      tableCaption: function (caption) {
        return caption + ": percentages of possible sessions, with the number of sessions in brackets";
      },
      noRows: "No row has any possible sessions.",
      lowest: function (worst, worstPercent, best, bestPercent) {
        return "Lowest attendance: " + worst + ", " + worstPercent + ". Highest: " + best + ", " + bestPercent +
          ". The table after the chart gives every figure.";
      },
      cannotTell: "Cannot tell: there are no possible sessions.",
      persistent: function (absent, percent, threshold) {
        return (absent ? "Yes. " : "No. ") + "The pupil missed " + percent + " of possible sessions; " + threshold +
          "% or more counts as persistently absent in Wales.";
      },
      notPossible: function (n) { return count(n, "session") + " not possible (school closed or attendance not required)"; },
      noMarkYet: function (n) { return count(n, "session") + " with no mark yet"; },
      possible: function (n, leftOut) { return n + (leftOut.length ? " (left out: " + leftOut.join("; ") + ")" : ""); },
      attended: function (percent, n, educational) {
        return percent + ": " + count(n, "session") + " attended" +
          (educational ? ", including " + educational + " of approved educational activity" : "");
      },
      sessions: function (percent, n) { return percent + ": " + count(n, "session"); },
      late: function (n, percent, before, after) {
        return count(n, "session") + " (" + percent + "): " + before + " before the register closed (L, counted as " +
          "present), " + after + " after it closed (U, counted as unauthorised absence)";
      },
      summary: ["Possible sessions", "Attendance", "Authorised absence", "Unauthorised absence", "All absence",
                "Late marks", "Persistently absent?"],
      codesUsed: "Codes used",
      codesUsedCaption: "Each code in the marks entered, with the number of sessions",
      codeColumns: ["Code", "Meaning", "Counted as", "Sessions"],
      period: function (weeks, first, last) {
        return weeks === 1 ? "the week beginning " + first
          : count(weeks, "week") + ", from the week beginning " + first + " to the week beginning " + last;
      },
      results: "Results",
      forPeriod: function (period) { return "For " + period + "."; },
      example: "This is activity 4.4's pupil. The daily marks are reconstructed from the pack's weekly figures, " +
        "so the totals match the pack but the days are illustrative.",
      caveat: function (codes) {
        return "These figures use a code table that is not yet confirmed for Wales. Check the codes and categories " +
          "before relying on them" + (codes.length ? ", especially " + codes.join(" and ") + " (see Codes used, below)." : ".");
      },
      allWeeks: "All weeks",
      byWeek: "By week",
      byWeekTitle: "Attendance by week",
      weekBeginning: "Week beginning",
      byDay: "By day of the week",
      byDayIntro: "Each day's figures add up that day's morning and afternoon sessions over all the weeks entered.",
      byDayTitle: "Attendance by day of the week",
      allDays: "All days",
      day: "Day",
      error: "Error: ",
      problems: function (n, lines) {
        var listed = lines.length > 1 ? lines.slice(0, -1).join(", ") + " and " + lines[lines.length - 1] : String(lines[0]);
        return "There are " + n + " problems, on " + (lines.length === 1 ? "line " : "lines ") + listed +
          ". They are listed above.";
      },
      lateMark: "; a late mark",
      knownCodes: "Codes the calculator knows",
      knownCodesCaption: "Codes the calculator knows (not yet confirmed for Wales)"
    },
    cy: {
      categories: {
        present: "Presennol",
        educational: "Gweithgaredd addysgol cymeradwy (presennol)",
        authorised: "Absenoldeb awdurdodedig",
        unauthorised: "Absenoldeb heb awdurdod",
        "not-required": "Nid yw'n sesiwn bosibl",
        "no-mark": "Heb ei gyfrif (dim marc eto)"
      },
      chartRow: function (percent, possible) { return "presenoldeb " + percent + ", " + possible + " sesiwn bosibl"; },
      chartRowEmpty: "dim sesiynau posibl",
      legend: ["Wedi mynychu (presennol, hwyr cyn i'r gofrestr gau, neu weithgaredd addysgol cymeradwy)",
               "Absenoldeb awdurdodedig", "Absenoldeb heb awdurdod (streipiog)",
               "Llinell 90%: mae presenoldeb o dan y llinell yn golygu bod 10% neu fwy o'r sesiynau wedi'u colli"],
      columns: ["Posibl", "Presenol\u00addeb", "Awdurdod\u00adedig", "Heb awdurdod", "Hwyr"],
      noSessions: "Dim sesiynau posibl (ysgol ar gau, neu dim marciau eto)",
      tableCaption: function (caption) {
        return caption + ": canrannau o'r sesiynau posibl, gyda nifer y sesiynau mewn cromfachau";
      },
      noRows: "Nid oes gan unrhyw res sesiynau posibl.",
      lowest: function (worst, worstPercent, best, bestPercent) {
        return "Presenoldeb isaf: " + worst + ", " + worstPercent + ". Uchaf: " + best + ", " + bestPercent +
          ". Mae'r tabl ar \u00f4l y siart yn rhoi pob ffigur.";
      },
      cannotTell: "Ni ellir dweud: nid oes sesiynau posibl.",
      persistent: function (absent, percent, threshold) {
        return (absent ? "Ydy. " : "Nac ydy. ") + "Collodd y disgybl " + percent + " o'r sesiynau posibl; yng Nghymru, " +
          "mae colli " + threshold + "% neu fwy yn cyfrif yn absenoldeb parhaus.";
      },
      notPossible: function (n) {
        return n + " sesiwn pan oedd yr ysgol ar gau neu pan nad oedd angen presenoldeb";
      },
      noMarkYet: function (n) { return n + " sesiwn heb farc eto"; },
      possible: function (n, leftOut) { return n + (leftOut.length ? " (wedi'u hepgor: " + leftOut.join("; ") + ")" : ""); },
      attended: function (percent, n, educational) {
        return percent + ": yn bresennol mewn " + n + " sesiwn" +
          (educational ? ", gan gynnwys " + educational + " sesiwn o weithgaredd addysgol cymeradwy" : "");
      },
      sessions: function (percent, n) { return percent + ": " + n + " sesiwn"; },
      late: function (n, percent, before, after) {
        return n + " sesiwn (" + percent + "): " + before + " cyn i'r gofrestr gau (L, sy'n cyfrif yn bresennol), " +
          after + " ar \u00f4l iddi gau (U, sy'n cyfrif yn absenoldeb heb awdurdod)";
      },
      summary: ["Sesiynau posibl", "Presenoldeb", "Absenoldeb awdurdodedig", "Absenoldeb heb awdurdod",
                "Absenoldeb cyffredinol", "Marciau hwyr", "Absennol yn barhaus?"],
      codesUsed: "Codau a ddefnyddiwyd",
      codesUsedCaption: "Pob cod yn y marciau a roddwyd, gyda nifer y sesiynau",
      codeColumns: ["Cod", "Ystyr", "Sut y'i cyfrifir", "Sesiynau"],
      period: function (weeks, first, last) {
        return weeks === 1 ? "yr wythnos yn dechrau " + first
          : weeks + " wythnos, o'r wythnos yn dechrau " + first + " hyd at yr wythnos yn dechrau " + last;
      },
      results: "Canlyniadau",
      forPeriod: function (period) { return "Ar gyfer " + period + "."; },
      example: "Dyma ddisgybl gweithgaredd 4.4. Mae'r marciau dyddiol wedi'u hail-greu o ffigurau wythnosol y pecyn, " +
        "felly mae'r cyfansymiau'n cyfateb i'r pecyn ond enghreifftiol yw'r diwrnodau.",
      caveat: function (codes) {
        return "Mae'r ffigurau hyn yn defnyddio tabl codau nad yw wedi'i gadarnhau eto ar gyfer Cymru. Gwiriwch y codau " +
          "a'r categor\u00efau cyn dibynnu arnynt" +
          (codes.length ? ", yn enwedig " + welshList(codes) + " (gweler Codau a ddefnyddiwyd, isod)." : ".");
      },
      allWeeks: "Pob wythnos",
      byWeek: "Fesul wythnos",
      byWeekTitle: "Presenoldeb fesul wythnos",
      weekBeginning: "Wythnos yn dechrau",
      byDay: "Fesul diwrnod o'r wythnos",
      byDayIntro: "Mae ffigurau pob diwrnod yn adio sesiynau bore a phrynhawn y diwrnod hwnnw ar draws yr holl " +
        "wythnosau a roddwyd.",
      byDayTitle: "Presenoldeb fesul diwrnod o'r wythnos",
      allDays: "Pob diwrnod",
      day: "Diwrnod",
      error: "Gwall: ",
      problems: function (n, lines) {
        return "Mae " + n + " o broblemau, ar " + (lines.length === 1 ? "linell " : "linellau ") + welshList(lines) +
          ". Maent wedi'u rhestru uchod.";
      },
      lateMark: "; marc hwyr",
      knownCodes: "Codau y mae'r gyfrifiannell yn eu hadnabod",
      knownCodesCaption: "Codau y mae'r gyfrifiannell yn eu hadnabod (heb eu cadarnhau eto ar gyfer Cymru)"
    }
  };

  function words() { return WORDS[window.EWSAttendance.language()]; }

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
        ? words().chartRow(A.formatPercent(row.percent.attendance), row.possible) : words().chartRowEmpty);
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
    var text = words().legend;
    return el("ul", {"class": "ews-legend", "aria-hidden": "true"}, ["present", "authorised", "unauthorised", "threshold"]
      .map(function (kind, index) {
        return el("li", {}, [el("span", {"class": "ews-swatch ews-swatch-" + kind}), text[index]]);
      }));
  }

  function table(caption, firstHeading, rows, total) {
    var A = window.EWSAttendance;
    var head = el("tr", {}, [firstHeading].concat(words().columns).map(function (text) {
      return el("th", {scope: "col", text: text});
    }));
    var body = el("tbody");
    rows.concat(total ? [total] : []).forEach(function (row) {
      var cells = [el("th", {scope: "row", text: row.name})];
      if (!row.possible) {
        cells.push(el("td", {text: "0"}));
        cells.push(el("td", {colspan: "4", text: words().noSessions}));
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
      el("table", {"class": "ews-table"}, [el("caption", {text: words().tableCaption(caption)}),
                                           el("thead", {}, [head]), body])
    ]);
    return wrap;
  }

  function lowest(rows) {
    var open = rows.filter(function (r) { return r.possible; });
    if (!open.length) return words().noRows;
    var worst = open.reduce(function (a, b) { return b.percent.attendance < a.percent.attendance ? b : a; });
    var best = open.reduce(function (a, b) { return b.percent.attendance > a.percent.attendance ? b : a; });
    var format = window.EWSAttendance.formatPercent;
    return words().lowest(worst.name, format(worst.percent.attendance), best.name, format(best.percent.attendance));
  }

  function summaryList(summary) {
    var A = window.EWSAttendance;
    var t = summary.total;
    var pa = summary.persistentAbsence;
    var say = words();
    var persistent = pa.absent === null ? say.cannotTell
      : say.persistent(pa.absent, A.formatPercent(t.percent.absence), pa.thresholdPercent);
    var notCounted = [];
    if (t.notRequired) notCounted.push(say.notPossible(t.notRequired));
    if (t.noMark) notCounted.push(say.noMarkYet(t.noMark));
    var values = [
      say.possible(t.possible, notCounted),
      say.attended(A.formatPercent(t.percent.attendance), t.attended, t.educational),
      say.sessions(A.formatPercent(t.percent.authorised), t.authorised),
      say.sessions(A.formatPercent(t.percent.unauthorised), t.unauthorised),
      say.sessions(A.formatPercent(t.percent.absence), t.absent),
      say.late(t.late, A.formatPercent(t.percent.late), t.lateBeforeClose, t.lateAfterClose),
      persistent
    ];
    var list = el("dl", {"class": "ews-summary", "data-summary": ""});
    say.summary.forEach(function (label, index) {
      list.appendChild(el("div", {}, [el("dt", {text: label}), el("dd", {text: values[index]})]));
    });
    return list;
  }

  function codesUsedTable(summary) {
    var say = words();
    var body = el("tbody");
    summary.codesUsed.forEach(function (entry) {
      body.appendChild(el("tr", {}, [
        el("th", {scope: "row"}, [el("code", {text: entry.code})]),
        el("td", {text: entry.meaning + (entry.note ? ". " + entry.note : "")}),
        el("td", {text: say.categories[entry.category] || entry.category}),
        el("td", {text: String(entry.count)})
      ]));
    });
    return el("div", {"class": "ews-table-wrap", role: "region", tabindex: "0", "aria-label": say.codesUsed}, [
      el("table", {"class": "ews-table"}, [
        el("caption", {text: say.codesUsedCaption}),
        el("thead", {}, [el("tr", {}, say.codeColumns.map(function (text) {
          return el("th", {scope: "col", text: text});
        }))]),
        body
      ])
    ]);
  }

  function showResults(tool, summary, isExample) {
    var results = tool.querySelector("[data-results]");
    results.textContent = "";
    var say = words();
    var weeks = summary.weeks;
    var period = say.period(weeks.length, weeks[0].label, weeks[weeks.length - 1].label);
    var heading = el("h2", {id: "attendance-results", tabindex: "-1", text: say.results});
    results.appendChild(heading);
    results.appendChild(el("p", {text: say.forPeriod(period)}));
    if (isExample) results.appendChild(el("p", {"class": "ews-note", text: say.example}));
    results.appendChild(summaryList(summary));
    var noted = summary.codesUsed.filter(function (c) { return c.note; });
    results.appendChild(el("p", {"class": "ews-note", text: say.caveat(noted.map(function (c) { return c.code; }))}));
    var weekRows = weeks.map(function (w) { w.name = w.short; return w; });
    var dayRows = summary.weekdays.map(function (d) { d.name = d.day; return d; });
    var total = summary.total;
    total.name = say.allWeeks;
    results.appendChild(el("h3", {text: say.byWeek}));
    results.appendChild(legend());
    results.appendChild(barChart(weekRows, say.byWeekTitle, lowest(weekRows)));
    results.appendChild(table(say.byWeekTitle, say.weekBeginning, weekRows, total));
    results.appendChild(el("h3", {text: say.byDay}));
    results.appendChild(el("p", {text: say.byDayIntro}));
    results.appendChild(legend());
    results.appendChild(barChart(dayRows, say.byDayTitle, lowest(dayRows)));
    var dayTotal = Object.assign({}, total, {name: say.allDays});
    results.appendChild(table(say.byDayTitle, say.day, dayRows, dayTotal));
    results.appendChild(el("h3", {text: say.codesUsed}));
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
    var say = words();
    message.textContent = "";
    message.appendChild(el("span", {"class": "ews-visually-hidden", text: say.error}));
    message.appendChild(document.createTextNode(errors.length === 1 ? errors[0].message
      : say.problems(errors.length, lines)));
    message.hidden = false;
    field.classList.add("ews-field--error");
    textarea.setAttribute("aria-invalid", "true");
    textarea.setAttribute("aria-describedby", "attendance-marks-hint attendance-marks-error");
    box.hidden = false;
    tool.querySelector("[data-results]").hidden = true;
    if (document.title.indexOf(say.error) !== 0) document.title = say.error + document.title;
    box.focus();
  }

  function clearErrors(tool) {
    tool.querySelector("[data-error-summary]").hidden = true;
    tool.querySelector("[data-field-error]").hidden = true;
    tool.querySelector("[data-field]").classList.remove("ews-field--error");
    var textarea = tool.querySelector("textarea");
    textarea.removeAttribute("aria-invalid");
    textarea.setAttribute("aria-describedby", "attendance-marks-hint");
    var prefix = words().error;
    if (document.title.indexOf(prefix) === 0) document.title = document.title.slice(prefix.length);
  }

  function codeList(container) {
    var data = window.EWSRegisterCodes;
    var text = window.EWSAttendance.codeText;
    var say = words();
    var body = el("tbody");
    data.codes.concat(data.toolMarks.map(function (m) {
      return {code: m.code, meaning: m.meaning, meaningCy: m.meaningCy, category: "no-mark", late: false};
    })).forEach(function (entry) {
      var note = text(entry, "note");
      body.appendChild(el("tr", {}, [
        el("th", {scope: "row"}, [el("code", {text: entry.code})]),
        el("td", {text: text(entry, "meaning") + (note ? ". " + note : "")}),
        el("td", {text: (say.categories[entry.category] || entry.category) + (entry.late ? say.lateMark : "")})
      ]));
    });
    container.textContent = "";
    container.appendChild(el("div", {"class": "ews-table-wrap", role: "region", tabindex: "0",
                                     "aria-label": say.knownCodes}, [
      el("table", {"class": "ews-table", "data-codes-table": ""}, [
        el("caption", {text: say.knownCodesCaption}),
        el("thead", {}, [el("tr", {}, say.codeColumns.slice(0, 3).map(function (text) {
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
