"""The portfolio: a valid PDF with every section."""
from __future__ import annotations

import io

from pypdf import PdfReader


def test_portfolio_pdf_is_a_valid_pdf_with_every_section(tracker_app, people, signed_in):
    inductee = signed_in("inductee@example.org")
    response = inductee.get(f"/portfolio/{people['dafydd']}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    for heading in ("Dafydd Morgan", "Induction progress", "Completed activities", "Shared reflections", "Quiz results",
                    "Personal development plan", "Supervision"):
        assert heading in text, heading
    assert "Finding out more about my role" in text       # activity 1.1 is signed off in the demo data
    assert "My first team meeting" in text                # the shared reflection
