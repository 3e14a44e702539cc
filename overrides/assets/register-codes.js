/* Attendance register codes: the one place that says which code counts as what
   for the attendance calculator (content/reference/attendance-calculator.md).

   It must agree with the code table on content/reference/register-codes.md
   (tests/test_attendance_tool.py checks this). That table is NOT yet confirmed
   against the Welsh Government's 'Guidance on school attendance codes': every
   code below carries "confirmed": false until someone checks it.

   The object after "=" is strict JSON (no comments, no trailing commas), so that
   tools other than the browser can read it. A .js file rather than a .json file
   because a page opened from file:// may not fetch() a JSON file.

   category: present | educational (approved educational activity, counted as
   present) | authorised | unauthorised | not-required (not a possible session).
   late: true if the code is counted as a late mark. */
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
    {"code": "/", "meaning": "Present (morning)", "category": "present", "late": false, "confirmed": false},
    {"code": "\\", "meaning": "Present (afternoon)", "category": "present", "late": false, "confirmed": false},
    {"code": "L", "meaning": "Late, arrived before the register closed", "category": "present", "late": true, "confirmed": false},
    {"code": "U", "meaning": "Late, arrived after the register closed", "category": "unauthorised", "late": true, "confirmed": false},
    {"code": "B", "meaning": "Educated off site (not dual registration)", "category": "educational", "late": false, "confirmed": false},
    {"code": "D", "meaning": "Dual registration: attending the other school or PRU", "category": "educational", "late": false, "confirmed": false,
     "note": "Some practice (England's) did not count D as a possible session at all. Check how your authority treats it."},
    {"code": "J", "meaning": "Interview", "category": "educational", "late": false, "confirmed": false},
    {"code": "P", "meaning": "Approved sporting activity", "category": "educational", "late": false, "confirmed": false},
    {"code": "V", "meaning": "Educational visit or trip", "category": "educational", "late": false, "confirmed": false},
    {"code": "W", "meaning": "Work experience", "category": "educational", "late": false, "confirmed": false},
    {"code": "C", "meaning": "Other authorised circumstances", "category": "authorised", "late": false, "confirmed": false},
    {"code": "E", "meaning": "Excluded, with no alternative provision", "category": "authorised", "late": false, "confirmed": false},
    {"code": "F", "meaning": "Extended family holiday (agreed)", "category": "authorised", "late": false, "confirmed": false},
    {"code": "H", "meaning": "Family holiday (agreed)", "category": "authorised", "late": false, "confirmed": false},
    {"code": "I", "meaning": "Illness", "category": "authorised", "late": false, "confirmed": false},
    {"code": "M", "meaning": "Medical or dental appointment", "category": "authorised", "late": false, "confirmed": false},
    {"code": "R", "meaning": "Religious observance", "category": "authorised", "late": false, "confirmed": false},
    {"code": "S", "meaning": "Study leave", "category": "authorised", "late": false, "confirmed": false},
    {"code": "T", "meaning": "Traveller absence", "category": "authorised", "late": false, "confirmed": false},
    {"code": "G", "meaning": "Family holiday not agreed, or days beyond those agreed", "category": "unauthorised", "late": false, "confirmed": false},
    {"code": "N", "meaning": "No reason yet provided", "category": "unauthorised", "late": false, "confirmed": false},
    {"code": "O", "meaning": "Unauthorised absence not covered by any other code", "category": "unauthorised", "late": false, "confirmed": false},
    {"code": "X", "meaning": "Not of compulsory school age", "category": "not-required", "late": false, "confirmed": false},
    {"code": "Y", "meaning": "Enforced closure", "category": "not-required", "late": false, "confirmed": false,
     "note": "During COVID, Welsh guidance used Y for school-directed absence. Check what Y means in current guidance."},
    {"code": "Z", "meaning": "Pupil not yet on roll", "category": "not-required", "late": false, "confirmed": false},
    {"code": "#", "meaning": "School closed to pupils", "category": "not-required", "late": false, "confirmed": false}
  ],
  "toolMarks": [
    {"code": "-", "meaning": "No mark yet: a session not yet taken, for example later in the current week. Not counted at all. This is the calculator's own mark, not a register code."}
  ]
};
