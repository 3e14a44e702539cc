/* Attendance calculator: the arithmetic, with no page and no network.
   Used by attendance-tool.js on content/reference/attendance-calculator.md and
   tested in tests/handbook/test_attendance_tool.py. Which code counts as what comes only
   from the code data (register-codes.js, window.EWSRegisterCodes), passed in.

   Input: one line per school week, the Monday's date then ten marks, morning
   and afternoon from Monday to Friday. Spaces between marks are ignored:
       2013-09-09  /\ LO /\ /\ /\
   Its messages, day and month names are in the page's language, English or Welsh (WORDS).
   Nothing here stores or sends what is typed. ASCII only: the file may be read without a charset. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; }
  else { root.EWSAttendance = api; }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
  var MARKS_PER_WEEK = 10;
  var NO_MARK = "no-mark";

  function count(n, one) { return n + " " + one + (n === 1 ? "" : "s"); }

  /* The words, in the language of the page: Welsh on the Welsh site (<html lang="cy">), English
     everywhere else. Read at each call, so the module needs no setting up. */
  var WORDS = {
    en: {
      days: DAYS,
      weekdays: ["Sunday"].concat(DAYS, ["Saturday"]),
      months: ["January", "February", "March", "April", "May", "June", "July",
               "August", "September", "October", "November", "December"],
      shortMonths: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
      session: function (day, half) { return day + " " + ["morning", "afternoon"][half]; },
      markNumber: function (n) { return "mark " + n; },
      noDate: function (line, example) {
        return "Line " + line + ": start the line with the date of the Monday the week begins, " +
               "for example " + example + " or 01/09/2025.";
      },
      notMonday: function (line, date, weekday) {
        return "Line " + line + ": " + date + " is a " + weekday + ". Give the date of the Monday the week begins.";
      },
      where: function (line, date) { return "Line " + line + " (week beginning " + date + ")"; },
      repeated: function (where, line) { return where + ": this week is already on line " + line + ". Enter each week once."; },
      markCount: function (where, n, needed) {
        return where + ": has " + count(n, "mark") + ". A week needs " + needed + ": morning and afternoon, " +
               "Monday to Friday. Type # for a session when the school was closed and - for one not yet taken.";
      },
      unknown: function (where, marks) {
        return where + ": " + marks.join(", ") + (marks.length === 1 ? " is not a code" : " are not codes") +
               " this calculator knows. See the list of codes on this page.";
      },
      nothing: function (example) { return "Enter at least one week of marks, for example: " + example; }
    },
    cy: {
      days: ["Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener"],
      weekdays: ["dydd Sul", "dydd Llun", "dydd Mawrth", "dydd Mercher", "dydd Iau", "dydd Gwener", "dydd Sadwrn"],
      months: ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
               "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"],
      shortMonths: ["Ion", "Chwef", "Maw", "Ebr", "Mai", "Meh", "Gorff", "Awst", "Medi", "Hyd", "Tach", "Rhag"],
      session: function (day, half) { return ["bore", "prynhawn"][half] + " " + day.replace(/^Dydd/, "dydd"); },
      markNumber: function (n) { return "marc " + n; },
      noDate: function (line, example) {
        return "Llinell " + line + ": dechreuwch y llinell \u00e2 dyddiad y dydd Llun sy'n dechrau'r wythnos, " +
               "er enghraifft " + example + " neu 01/09/2025.";
      },
      notMonday: function (line, date, weekday) {
        return "Llinell " + line + ": mae " + date + " yn " + weekday.replace(/^dydd/, "ddydd") +
               ". Rhowch ddyddiad y dydd Llun sy'n dechrau'r wythnos.";
      },
      where: function (line, date) { return "Llinell " + line + " (yr wythnos yn dechrau " + date + ")"; },
      repeated: function (where, line) {
        return where + ": mae'r wythnos hon eisoes ar linell " + line + ". Rhowch bob wythnos unwaith yn unig.";
      },
      markCount: function (where, n, needed) {
        return where + ": " + (n === 1 ? "1 marc" : n + " o farciau") + " sydd arni. Mae angen " + needed +
               " marc ar gyfer wythnos: bore a phrynhawn, dydd Llun i ddydd Gwener. Teipiwch # ar gyfer sesiwn " +
               "pan oedd yr ysgol ar gau, a - ar gyfer sesiwn nad yw wedi'i chymryd eto.";
      },
      unknown: function (where, marks) {
        return where + ": nid yw " + marks.join(", ") + (marks.length === 1
          ? " yn god y mae'r gyfrifiannell hon yn ei adnabod" : " yn godau y mae'r gyfrifiannell hon yn eu hadnabod") +
          ". Gweler y rhestr o godau ar y dudalen hon.";
      },
      nothing: function (example) { return "Rhowch farciau ar gyfer o leiaf un wythnos, er enghraifft: " + example; }
    }
  };

  /* "cy" on a Welsh page (lang="cy" or "cy-GB"), otherwise "en". */
  function language() {
    var lang = typeof document !== "undefined" && document.documentElement ? document.documentElement.lang : "";
    return /^cy(-|$)/i.test(lang || "") ? "cy" : "en";
  }

  function words() { return WORDS[language()]; }

  /* A code's meaning or note in the page's language: register-codes.js gives the Welsh as meaningCy, noteCy. */
  function codeText(entry, field) {
    return (language() === "cy" && entry[field + "Cy"]) || entry[field];
  }

  /* code -> {code, meaning, category, late, note}; the calculator's own marks get category "no-mark". */
  function codeTable(data) {
    var table = {};
    (data.codes || []).forEach(function (entry) { table[entry.code] = entry; });
    (data.toolMarks || []).forEach(function (entry) {
      table[entry.code] = {code: entry.code, meaning: entry.meaning, meaningCy: entry.meaningCy, category: NO_MARK,
                           late: false};
    });
    return table;
  }

  /* A percentage to 2 decimal places, as school systems print it; null when there is nothing to divide by. */
  function percent(part, whole) {
    if (!whole) return null;
    return Math.round((part * 10000) / whole + 1e-9) / 100;
  }

  function formatPercent(value) {
    return value === null || value === undefined ? "\u2013" : value.toFixed(2) + "%";
  }

  function isoDate(year, month, day) {
    return year + "-" + String(month).padStart(2, "0") + "-" + String(day).padStart(2, "0");
  }

  /* "2013-09-02", "02/09/2013" or "2/9/2013" -> {iso, weekday (0 = Sunday)}, or null if not a real date. */
  function parseDate(text) {
    var match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    var year, month, day;
    if (match) { year = +match[1]; month = +match[2]; day = +match[3]; }
    else {
      match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
      if (!match) return null;
      day = +match[1]; month = +match[2]; year = +match[3];
    }
    var date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
    return {iso: isoDate(year, month, day), weekday: date.getUTCDay()};
  }

  /* "2013-09-02" -> "2 September 2013", or with short true "2 Sep 2013" (Welsh: "2 Medi 2013", "7 Hyd 2013"). */
  function dateLabel(iso, short) {
    var parts = iso.split("-");
    var month = (short ? words().shortMonths : words().months)[+parts[1] - 1];
    return +parts[2] + " " + month + " " + parts[0];
  }

  function sessionName(index) {
    return words().session(words().days[Math.floor(index / 2)], index % 2);
  }

  var DATE_AT_START = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4})(.*)$/;
  var EXAMPLE_LINE = "2025-09-01 /\\ /\\ /\\ /\\ /\\";

  /* Text -> {weeks: [{start, label, line, marks: [10 codes]}], errors: [{line, from, to, message}]}.
     Blank lines are skipped; weeks come back in date order. Lower-case letters are read as capitals. */
  function parseWeeks(text, data) {
    var table = codeTable(data);
    var say = words();
    var weeks = [];
    var errors = [];
    var seen = {};
    var offset = 0;
    String(text || "").split("\n").forEach(function (raw, index) {
      var from = offset;
      offset += raw.length + 1;
      var line = raw.replace(/\r$/, "").trim();
      if (!line) return;
      var number = index + 1;
      function fail(message) { errors.push({line: number, from: from, to: from + raw.length, message: message}); }
      var parts = DATE_AT_START.exec(line);
      var date = parts && parseDate(parts[1]);
      if (!date) {
        fail(say.noDate(number, EXAMPLE_LINE.split(" ")[0]));
        return;
      }
      if (date.weekday !== 1) {
        fail(say.notMonday(number, dateLabel(date.iso), say.weekdays[date.weekday]));
        return;
      }
      var where = say.where(number, dateLabel(date.iso));
      if (seen[date.iso]) {
        fail(say.repeated(where, seen[date.iso]));
        return;
      }
      seen[date.iso] = number;
      var marks = Array.from(parts[2].replace(/\s+/g, "").toUpperCase());
      var unknown = [];
      marks.forEach(function (mark, position) {
        if (!table[mark]) unknown.push("\u2018" + mark + "\u2019 (" + (position < MARKS_PER_WEEK ? sessionName(position) : say.markNumber(position + 1)) + ")");
      });
      var ok = true;
      if (marks.length !== MARKS_PER_WEEK) {
        fail(say.markCount(where, marks.length, MARKS_PER_WEEK));
        ok = false;
      }
      if (unknown.length) {
        fail(say.unknown(where, unknown));
        ok = false;
      }
      if (ok) weeks.push({start: date.iso, label: dateLabel(date.iso), line: number, marks: marks});
    });
    if (!weeks.length && !errors.length) {
      errors.push({line: 0, from: 0, to: 0, message: say.nothing(EXAMPLE_LINE)});
    }
    weeks.sort(function (a, b) { return a.start < b.start ? -1 : a.start > b.start ? 1 : 0; });
    return {weeks: weeks, errors: errors};
  }

  function emptyCount() {
    return {possible: 0, present: 0, educational: 0, attended: 0, authorised: 0, unauthorised: 0, absent: 0,
            late: 0, lateBeforeClose: 0, lateAfterClose: 0, notRequired: 0, noMark: 0};
  }

  function add(count, entry) {
    switch (entry.category) {
      case NO_MARK: count.noMark += 1; return;
      case "not-required": count.notRequired += 1; return;
      case "present": count.present += 1; count.attended += 1; break;
      case "educational": count.educational += 1; count.attended += 1; break;
      case "authorised": count.authorised += 1; count.absent += 1; break;
      case "unauthorised": count.unauthorised += 1; count.absent += 1; break;
      default: throw new Error("unknown category " + entry.category + " for code " + entry.code);
    }
    count.possible += 1;
    if (entry.late) {
      count.late += 1;
      if (entry.category === "unauthorised") count.lateAfterClose += 1; else count.lateBeforeClose += 1;
    }
  }

  function withPercentages(count) {
    count.percent = {
      attendance: percent(count.attended, count.possible),
      authorised: percent(count.authorised, count.possible),
      unauthorised: percent(count.unauthorised, count.possible),
      absence: percent(count.absent, count.possible),
      late: percent(count.late, count.possible)
    };
    return count;
  }

  /* Persistent absence: missing the threshold share (10%) or more of possible sessions; null with none possible. */
  function persistentlyAbsent(count, thresholdPercent) {
    if (!count.possible) return null;
    return count.absent * 100 >= thresholdPercent * count.possible;
  }

  /* Weeks (from parseWeeks) -> totals, each week, each weekday, and the codes used. */
  function summarise(weeks, data) {
    var table = codeTable(data);
    var threshold = data.persistentAbsence.thresholdPercent;
    var total = emptyCount();
    var days = words().days.map(function (name) { var c = emptyCount(); c.day = name; return c; });
    var used = {};
    var codes = (data.codes || []).concat(data.toolMarks || []).map(function (entry) { return entry.code; });
    function order(code) { return codes.indexOf(code); }
    var rows = weeks.map(function (week) {
      var count = emptyCount();
      count.start = week.start;
      count.label = week.label;
      count.short = dateLabel(week.start, true);
      count.marks = week.marks.join("");
      week.marks.forEach(function (mark, index) {
        var entry = table[mark];
        if (!entry) throw new Error("unknown code " + mark);
        used[mark] = (used[mark] || 0) + 1;
        add(count, entry);
        add(total, entry);
        add(days[Math.floor(index / 2)], entry);
      });
      return withPercentages(count);
    });
    withPercentages(total);
    days.forEach(withPercentages);
    return {
      total: total,
      weeks: rows,
      weekdays: days,
      codesUsed: Object.keys(used).sort(function (a, b) { return order(a) - order(b); }).map(function (code) {
        var entry = table[code];
        return {code: code, count: used[code], meaning: codeText(entry, "meaning"), category: entry.category,
                note: codeText(entry, "note") || null};
      }),
      persistentAbsence: {thresholdPercent: threshold, absent: persistentlyAbsent(total, threshold)}
    };
  }

  /* Text -> {errors, weeks, summary (null when there are errors)}. */
  function calculate(text, data) {
    var parsed = parseWeeks(text, data);
    return {errors: parsed.errors, weeks: parsed.weeks,
            summary: parsed.errors.length ? null : summarise(parsed.weeks, data)};
  }

  /* Activity 4.4's pupil (autumn term 2013, report prepared on the morning of Tuesday 3 December).
     The pack gives weekly figures only: these daily marks are our reconstruction, consistent with every
     weekly row (sessions possible and absent, authorised, unauthorised and late), so the totals are the
     pack's: 119 possible, 81 attended, 8 authorised, 30 unauthorised, 5 late. Monday 2 September and
     Friday 25 October are taken as days the school was closed, half-term as a closed week, and the
     sessions from Tuesday afternoon 3 December as not yet taken. */
  var EXAMPLE_4_4 = [
    "2013-09-02  ## OO OO OO OO",
    "2013-09-09  /\\ LO /\\ /\\ /\\",
    "2013-09-16  /\\ LO /\\ /\\ /\\",
    "2013-09-23  LO LO /\\ /\\ /\\",
    "2013-09-30  /\\ OO OO /\\ /\\",
    "2013-10-07  /\\ /\\ /\\ /\\ /\\",
    "2013-10-14  /\\ /\\ /\\ /\\ /\\",
    "2013-10-21  /\\ /\\ /\\ /\\ ##",
    "2013-10-28  ## ## ## ## ##",
    "2013-11-04  /\\ /\\ /\\ OO OO",
    "2013-11-11  /\\ II /\\ /\\ /\\",
    "2013-11-18  II II II LO /\\",
    "2013-11-25  /\\ /\\ OO OO OO",
    "2013-12-02  OO O- -- -- --"
  ].join("\n");

  return {
    DAYS: DAYS,
    MARKS_PER_WEEK: MARKS_PER_WEEK,
    EXAMPLE_4_4: EXAMPLE_4_4,
    codeTable: codeTable,
    percent: percent,
    formatPercent: formatPercent,
    parseDate: parseDate,
    dateLabel: dateLabel,
    sessionName: sessionName,
    parseWeeks: parseWeeks,
    summarise: summarise,
    persistentlyAbsent: persistentlyAbsent,
    calculate: calculate,
    language: language,
    codeText: codeText
  };
}));
