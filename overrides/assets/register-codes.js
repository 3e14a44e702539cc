/* Attendance register codes: the one place that says which code counts as what
   for the attendance calculator (content/reference/attendance-calculator.md).

   It must agree with the code table on content/reference/register-codes.md
   (tests/handbook/test_attendance_tool.py checks this). That table is NOT yet confirmed
   against the Welsh Government's 'Guidance on school attendance codes': every
   code below carries "confirmed": false until someone checks it.

   The object after "=" is strict JSON (no comments, no trailing commas), so that
   tools other than the browser can read it. A .js file rather than a .json file
   because a page opened from file:// may not fetch() a JSON file.

   category: present | educational (approved educational activity, counted as
   present) | authorised | unauthorised | not-required (not a possible session).
   late: true if the code is counted as a late mark.
   meaningCy, noteCy: the Welsh, shown on the Welsh site; the meanings are those of the code table on
   content/reference/register-codes.cy.md (tests/handbook/test_attendance_tool.py checks this too). */
window.EWSRegisterCodes = {
  "status": "Not yet confirmed for Wales: the codes and categories follow a legacy UK code table, not a Welsh Government document. Check them against the Welsh Government's current 'Guidance on school attendance codes' and the school's MIS.",
  "persistentAbsence": {
    "thresholdPercent": 10,
    "rule": "A pupil who misses 10% or more of possible sessions is persistently absent (the Welsh measure from 2022/23; 20% before).",
    "previousThresholdPercent": 20
  },
  "categories": {
    "present": {"label": "Present", "possible": true},
    "educational": {"label": "Approved educational activity (counted as present)", "possible": true},
    "authorised": {"label": "Authorised absence", "possible": true},
    "unauthorised": {"label": "Unauthorised absence", "possible": true},
    "not-required": {"label": "Attendance not required (not a possible session)", "possible": false}
  },
  "codes": [
    {"code": "/", "meaning": "Present (morning)", "meaningCy": "Presennol (bore)", "category": "present", "late": false, "confirmed": false},
    {"code": "\\", "meaning": "Present (afternoon)", "meaningCy": "Presennol (prynhawn)", "category": "present", "late": false, "confirmed": false},
    {"code": "L", "meaning": "Late, arrived before the register closed", "meaningCy": "Hwyr, wedi cyrraedd cyn i'r gofrestr gau", "category": "present", "late": true, "confirmed": false},
    {"code": "U", "meaning": "Late, arrived after the register closed", "meaningCy": "Hwyr, wedi cyrraedd ar \u00f4l i'r gofrestr gau", "category": "unauthorised", "late": true, "confirmed": false},
    {"code": "B", "meaning": "Educated off site (not dual registration)", "meaningCy": "Yn cael addysg oddi ar y safle (nid cofrestru deuol)", "category": "educational", "late": false, "confirmed": false},
    {"code": "D", "meaning": "Dual registration: attending the other school or PRU", "meaningCy": "Cofrestru deuol: yn mynychu'r ysgol arall neu'r uned cyfeirio disgyblion", "category": "educational", "late": false, "confirmed": false,
     "note": "Some practice (England's) did not count D as a possible session at all. Check how your authority treats it.",
     "noteCy": "Nid oedd rhai arferion (arfer Lloegr) yn cyfrif D yn sesiwn bosibl o gwbl. Gwiriwch sut y mae eich awdurdod yn ymdrin ag ef."},
    {"code": "J", "meaning": "Interview", "meaningCy": "Cyfweliad", "category": "educational", "late": false, "confirmed": false},
    {"code": "P", "meaning": "Approved sporting activity", "meaningCy": "Gweithgaredd chwaraeon cymeradwy", "category": "educational", "late": false, "confirmed": false},
    {"code": "V", "meaning": "Educational visit or trip", "meaningCy": "Ymweliad neu daith addysgol", "category": "educational", "late": false, "confirmed": false},
    {"code": "W", "meaning": "Work experience", "meaningCy": "Profiad gwaith", "category": "educational", "late": false, "confirmed": false},
    {"code": "C", "meaning": "Other authorised circumstances", "meaningCy": "Amgylchiadau awdurdodedig eraill", "category": "authorised", "late": false, "confirmed": false},
    {"code": "E", "meaning": "Excluded, with no alternative provision", "meaningCy": "Wedi'i wahardd, heb ddarpariaeth amgen", "category": "authorised", "late": false, "confirmed": false},
    {"code": "F", "meaning": "Extended family holiday (agreed)", "meaningCy": "Gwyliau teulu estynedig (wedi'u cytuno)", "category": "authorised", "late": false, "confirmed": false},
    {"code": "H", "meaning": "Family holiday (agreed)", "meaningCy": "Gwyliau teulu (wedi'u cytuno)", "category": "authorised", "late": false, "confirmed": false},
    {"code": "I", "meaning": "Illness", "meaningCy": "Salwch", "category": "authorised", "late": false, "confirmed": false},
    {"code": "M", "meaning": "Medical or dental appointment", "meaningCy": "Apwyntiad meddygol neu ddeintyddol", "category": "authorised", "late": false, "confirmed": false},
    {"code": "R", "meaning": "Religious observance", "meaningCy": "Defod grefyddol", "category": "authorised", "late": false, "confirmed": false},
    {"code": "S", "meaning": "Study leave", "meaningCy": "Absenoldeb astudio", "category": "authorised", "late": false, "confirmed": false},
    {"code": "T", "meaning": "Traveller absence", "meaningCy": "Absenoldeb Teithwyr", "category": "authorised", "late": false, "confirmed": false},
    {"code": "G", "meaning": "Family holiday not agreed, or days beyond those agreed", "meaningCy": "Gwyliau teulu heb eu cytuno, neu ddiwrnodau y tu hwnt i'r rhai a gytunwyd", "category": "unauthorised", "late": false, "confirmed": false},
    {"code": "N", "meaning": "No reason yet provided", "meaningCy": "Dim rheswm wedi'i roi eto", "category": "unauthorised", "late": false, "confirmed": false},
    {"code": "O", "meaning": "Unauthorised absence not covered by any other code", "meaningCy": "Absenoldeb heb awdurdod nad oes cod arall yn ymdrin ag ef", "category": "unauthorised", "late": false, "confirmed": false},
    {"code": "X", "meaning": "Not of compulsory school age", "meaningCy": "Nid yw o oedran ysgol gorfodol", "category": "not-required", "late": false, "confirmed": false},
    {"code": "Y", "meaning": "Enforced closure", "meaningCy": "Cau gorfodol", "category": "not-required", "late": false, "confirmed": false,
     "note": "During COVID, Welsh guidance used Y for school-directed absence. Check what Y means in current guidance.",
     "noteCy": "Yn ystod COVID, roedd canllawiau Cymru yn defnyddio Y ar gyfer absenoldeb a gyfarwyddwyd gan yr ysgol. Gwiriwch beth mae Y yn ei olygu yn y canllawiau cyfredol."},
    {"code": "Z", "meaning": "Pupil not yet on roll", "meaningCy": "Disgybl nad yw ar y gofrestr eto", "category": "not-required", "late": false, "confirmed": false},
    {"code": "#", "meaning": "School closed to pupils", "meaningCy": "Ysgol ar gau i ddisgyblion", "category": "not-required", "late": false, "confirmed": false}
  ],
  "toolMarks": [
    {"code": "-", "meaning": "No mark yet: a session not yet taken, for example later in the current week. Not counted at all. This is the calculator's own mark, not a register code.", "meaningCy": "Dim marc eto: sesiwn nad yw wedi'i chymryd eto, er enghraifft yn nes ymlaen yn yr wythnos gyfredol. Nid yw'n cael ei chyfrif o gwbl. Marc y gyfrifiannell ei hun yw hwn, nid cod cofrestr."}
  ]
};
