"""Resolution PDFs in the UN's layout, written by the tests (fpdf2): nothing is downloaded.

The layout of the published texts: on the first page "United Nations" and the symbol, "Security
Council" and the distribution line, the title and the adoption line; on every page after it the
symbol as a running head; at the foot of the first page the job number and its barcode
("13-27381 (E)", "*1327381*"), then "2/5 13-27381" or "13-27381 3/5". Paragraphs are justified
and wrap across lines and pages.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF


class _Resolution(FPDF):
    def __init__(self, symbol: str, job: str) -> None:
        super().__init__(format="A4")
        self.symbol, self.job = symbol, job
        self.set_auto_page_break(auto=True, margin=28)
        self.alias_nb_pages("{nb}")

    def header(self) -> None:
        if self.page_no() == 1:
            self.set_font("Helvetica", "B", 11)
            self.cell(95, 6, "United Nations")
            self.cell(0, 6, self.symbol, align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_font("Helvetica", "B", 16)
            self.cell(95, 8, "Security Council")
            self.set_font("Helvetica", "", 9)
            self.cell(0, 8, self.distribution, align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(6)
        else:
            self.set_font("Helvetica", "B", 9)
            self.cell(0, 6, self.symbol, align="R" if self.page_no() % 2 else "L",
                      new_x="LMARGIN", new_y="NEXT")  # fmt: skip
            self.ln(4)

    def footer(self) -> None:
        self.set_y(-22)
        self.set_font("Helvetica", "", 8)
        if self.page_no() == 1:
            self.cell(0, 4, f"{self.job} (E)", new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 4, f"*{self.job.replace('-', '')}*")
        elif self.page_no() % 2:
            self.cell(0, 4, f"{self.job}    {self.page_no()}/{{nb}}", align="R")
        else:
            self.cell(0, 4, f"{self.page_no()}/{{nb}}    {self.job}")


def resolution_pdf(
    path: Path,
    *,
    number: int,
    year: int,
    adopted: str,
    meeting: str,
    preamble: list[str],
    operative: list[str],
    job: str = "16-10899",
) -> Path:
    """Write a resolution in the UN's PDF layout to ``path`` and return it.

    ``preamble`` and ``operative`` are the paragraphs as they read ("1. Decides ...",
    "(a) To support ..."); each is set as a justified paragraph of its own.
    """
    symbol = f"S/RES/{number} ({year})"
    pdf = _Resolution(symbol, job)
    pdf.distribution = f"Distr.: General\n{adopted}".replace("\n", " ")
    pdf.add_page()
    pdf.set_font("Times", "B", 13)
    pdf.cell(0, 7, f"Resolution {number} ({year})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", "B", 11)
    pdf.multi_cell(0, 6, f"Adopted by the Security Council at its {meeting} meeting, on {adopted}")
    pdf.ln(4)
    pdf.set_font("Times", "", 11)
    pdf.multi_cell(0, 6, "The Security Council,")
    for paragraph in preamble:
        pdf.set_x(pdf.l_margin + 8)
        pdf.multi_cell(0, 6, paragraph, align="J")
        pdf.ln(2)
    for paragraph in operative:
        pdf.set_x(pdf.l_margin + (8 if paragraph.startswith("(") else 0))
        pdf.multi_cell(0, 6, paragraph, align="J")
        pdf.ln(2)
    pdf.output(str(path))
    return path
